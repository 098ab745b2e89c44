import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PER_HOLD } from '../../shared/api/hold-limits.ts';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

/** The per-customer cap per hold (issue 6): a default, set per product by an admin, enforced. */
let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [
    { sku: 'PHONE', onHand: 50 },
    { sku: 'CASE', onHand: 50 },
  ]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const hold = (sku: string, quantity: number, n: number) =>
  call(server.url, 'POST', '/api/holds', {
    idempotencyKey: newKey('hold'),
    body: { storeId: 'aiea', sku, quantity, customer: customer(n) },
  });

describe('the per-customer cap per hold', () => {
  it('is the default until an admin sets one', async () => {
    const limit = await call(server.url, 'GET', '/api/products/PHONE/hold-limit');
    expect(limit.body).toEqual({ sku: 'PHONE', maxPerHold: DEFAULT_MAX_PER_HOLD, isDefault: true });
    expect((await hold('PHONE', 3, 1)).status).toBe(201);
  });

  it('an admin sets it per product; a larger hold is refused with the cap, others unaffected', async () => {
    const set = await call(server.url, 'PUT', '/api/admin/products/PHONE/hold-limit', {
      token: TEST_ADMIN_TOKEN,
      body: { maxPerHold: 2 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ sku: 'PHONE', maxPerHold: 2, isDefault: false });

    const refused = await hold('PHONE', 3, 2);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'HOLD_LIMIT_REACHED', details: { maxPerHold: 2 } });
    expect((await hold('PHONE', 2, 3)).status).toBe(201);
    expect((await hold('CASE', 3, 4)).status).toBe(201);
  });

  it('only an admin may set it, and only to a sensible number', async () => {
    const anonymous = await call(server.url, 'PUT', '/api/admin/products/PHONE/hold-limit', {
      body: { maxPerHold: 10 },
    });
    expect(anonymous.status).toBe(401);
    const zero = await call(server.url, 'PUT', '/api/admin/products/PHONE/hold-limit', {
      token: TEST_ADMIN_TOKEN,
      body: { maxPerHold: 0 },
    });
    expect(zero.status).toBe(400);
    expect((await call(server.url, 'GET', '/api/products/PHONE/hold-limit')).body.maxPerHold).toBe(2);
  });
});

describe('the caps with two instances on one Redis', () => {
  it('a cap set through one instance holds on the next request to the other, and a reset data set reads as defaults', async () => {
    const other = await startTestServer(redis);
    try {
      const holdAt = (url: string, quantity: number, n: number) =>
        call(url, 'POST', '/api/holds', {
          idempotencyKey: newKey('hold'),
          body: { storeId: 'aiea', sku: 'CASE', quantity, customer: customer(n) },
        });
      // The other instance has read the caps (CASE has the default) before the change.
      expect((await holdAt(other.url, 4, 20)).status).toBe(201);
      const set = await call(server.url, 'PUT', '/api/admin/products/CASE/hold-limit', {
        token: TEST_ADMIN_TOKEN,
        body: { maxPerHold: 1, maxHeldAtOnce: 1 },
      });
      expect(set.status).toBe(200);
      const refused = await holdAt(other.url, 2, 21);
      expect(refused.body).toMatchObject({ code: 'HOLD_LIMIT_REACHED', details: { maxPerHold: 1 } });
      expect((await holdAt(other.url, 1, 22)).status).toBe(201);
      expect((await holdAt(other.url, 1, 22)).body).toMatchObject({ details: { maxHeldAtOnce: 1 } });

      // The data replaced under both instances (a restore from a backup, a flush in a test).
      await redis.flush();
      await seedStore(server.url, 'aiea', [{ sku: 'CASE', onHand: 50 }]);
      expect((await holdAt(other.url, 3, 23)).status).toBe(201);
      expect((await call(other.url, 'GET', '/api/products/CASE/hold-limit')).body.isDefault).toBe(true);
    } finally {
      await other.close();
    }
  });
});
