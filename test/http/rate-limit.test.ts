import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { captureLog } from '../helpers/log-capture.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
const serverLog = captureLog('warn');

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, { rateLimitPerMinute: 3 }, { log: serverLog.log });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('rate limiting of public writes', () => {
  it('answers 429 with Retry-After past the limit, and holds nothing more', async () => {
    const hold = () =>
      call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await hold()).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await hold();
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const product = (
      await call(server.url, 'GET', '/api/admin/stores/aiea/products', { token: TEST_ADMIN_TOKEN })
    ).body.products[0];
    expect(product.held).toBe(3);
  });

  it('does not limit reads', async () => {
    for (let i = 0; i < 5; i++) expect((await call(server.url, 'GET', '/api/stores')).status).toBe(200);
  });
});

describe('a proxy the server does not trust', () => {
  it('is reported once in the log: behind it every customer would count as one address', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(2) },
      });
      expect(res.status).not.toBe(500);
    }
    const said = serverLog
      .records()
      .filter((record) => record.level === 'warn' && String(record.msg).includes('TRUST_PROXY'))
      .map((record) => String(record.msg));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/X-Forwarded-For.*TRUST_PROXY is off/);
    // And on the console, beside the waiting room whose places per connection it would break.
    const admin = { token: TEST_ADMIN_TOKEN };
    await call(server.url, 'POST', '/api/admin/events', {
      ...admin,
      body: { id: 'launch', name: 'Launch' },
    });
    const room = await call(server.url, 'GET', '/api/admin/events/launch/waiting-room', admin);
    expect(room.status).toBe(200);
    expect(room.body.clientAddressWarning).toMatch(/TRUST_PROXY is off/);
  });
});
