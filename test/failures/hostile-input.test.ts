import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCalendarDate } from '../../shared/api/common.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { enrollTablet, HNL, seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { redisSnapshot } from './snapshot.ts';

let redis: TestRedis;
let server: TestServer;
let admin: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  admin = redis.client();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
  await slotTomorrow(server.url, 'demo');
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

/** Sends the request and asserts a 4xx with a code from the table and no change in Redis. */
async function refused(method: string, path: string, options: Parameters<typeof call>[3] = {}) {
  const before = await redisSnapshot(admin);
  const res = await call(server.url, method, path, { token: TEST_ADMIN_TOKEN, ...options });
  expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${method} ${path}`).toBeLessThan(500);
  expect(typeof res.body.code).toBe('string');
  expect(await redisSnapshot(admin)).toEqual(before);
  return res;
}

describe('impossible dates', () => {
  it('knows the calendar', () => {
    expect(['2024-02-29', '2025-12-31', '2025-01-01'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(
      ['2025-02-29', '2025-02-30', '2025-13-45', '2025-00-10', '2025-04-31'].map(isCalendarDate),
    ).toEqual([false, false, false, false, false]);
  });

  it('are refused in a query date and as an event’s first date, changing nothing', async () => {
    for (const date of ['2025-02-30', '2025-13-45']) {
      const query = await refused('GET', `/api/events/demo/slots?date=${date}`);
      expect(query.status).toBe(400);
      expect(query.body.code).toBe('VALIDATION_FAILED');
      const created = await refused('POST', '/api/admin/events/demo/slots', {
        body: {
          storeIds: ['aiea'],
          firstDate: date,
          days: 1,
          dayStart: '09:00',
          dayEnd: '09:30',
          capacity: 5,
        },
      });
      expect(created.status).toBe(400);
      expect(created.body.details.issues.map((i: { path: string }) => i.path)).toContain('firstDate');
    }
  });
});

describe('checks everything before writing', () => {
  it('slots for a known and an unknown store change nothing', async () => {
    const date = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
    const res = await refused('POST', '/api/admin/events/demo/slots', {
      body: {
        storeIds: ['aiea', 'no-such-store'],
        firstDate: date,
        days: 1,
        dayStart: '09:00',
        dayEnd: '09:30',
        capacity: 5,
      },
    });
    expect(res.body.code).toBe('STORE_NOT_FOUND');
  });
});

describe('lone surrogates in free text', () => {
  it('are refused with 400, not 500, changing nothing', async () => {
    const hold = await refused('POST', '/api/holds', {
      idempotencyKey: `k-${Date.now()}-surrogate-hold`,
      body: {
        storeId: 'aiea',
        sku: 'KIT',
        quantity: 1,
        customer: { name: 'A\ud800B', email: 'a@example.com' },
      },
    });
    expect(hold.status).toBe(400);
    const imported = await refused('POST', '/api/admin/stores/aiea/products', {
      idempotencyKey: `k-${Date.now()}-surrogate-import`,
      body: { products: [{ sku: 'NEW', name: 'Lamp \udfff', onHand: 1 }] },
    });
    expect(imported.status).toBe(400);
  });

  it('prototype names are plain unknown values', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      await refused('GET', `/api/events/${name}/slots`);
      await refused('POST', '/api/admin/events/demo/slots', {
        body: {
          storeIds: [name],
          firstDate: '2030-01-01',
          days: 1,
          dayStart: '09:00',
          dayEnd: '09:30',
          capacity: 5,
        },
      });
    }
  });
});

// Found by the generated test (openapi-hostile.test.ts) and pinned here, one case each.
describe('found by the generated hostile test', () => {
  it('a body nested deeper than any schema is refused with 400, not a stack overflow', async () => {
    const res = await fetch(`${server.url}/api/admin/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: `{"id":${'['.repeat(500_000)}${']'.repeat(500_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('a body over the limit is answered 413 on a connection the server then closes', async () => {
    const res = await fetch(`${server.url}/api/admin/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'big', name: 'x'.repeat(2_500_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    // The next request on a fresh connection is answered as usual.
    expect((await call(server.url, 'GET', '/api/events')).status).toBe(200);
  });

  it('returning a lease of a sku the store does not carry is PRODUCT_NOT_FOUND', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const before = await redisSnapshot(admin);
    const key = newKey('return');
    const res = await call(
      server.url,
      'POST',
      `/api/admin/tablets/${tablet.deviceId}/leases/constructor/return`,
      {
        token: TEST_ADMIN_TOKEN,
        idempotencyKey: key,
      },
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'PRODUCT_NOT_FOUND', details: { sku: 'constructor' } });
    // Only the refusal itself is kept, under its key, so that a replay is refused alike.
    const after = await redisSnapshot(admin);
    expect(after.filter((row) => !row.includes(`:idem:${key} `))).toEqual(before);
  });

  it('a body with no Content-Type is 415, and no body at all is 400', async () => {
    const send = (body: Blob | undefined) =>
      fetch(`${server.url}/api/admin/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        ...(body ? { body } : {}),
      });
    const untyped = await send(new Blob([JSON.stringify({ id: 'untyped', name: 'Untyped' })]));
    expect(untyped.status).toBe(415);
    expect(((await untyped.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await send(undefined);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('a tablet’s history is asked for by a tablet id', async () => {
    const res = await refused('GET', '/api/admin/sync/tablets/__proto__/history');
    expect(res.status).toBe(400);
  });
});
