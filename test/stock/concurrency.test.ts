import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('holds under concurrency, over real HTTP', () => {
  it('2,000 concurrent holds for 100 units make exactly 100 holds', async () => {
    await seedStore(server.url, 'aiea', [{ sku: 'IPHONE-TRADEIN-KIT', onHand: 100 }]);
    const replies = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        call(server.url, 'POST', '/api/holds', {
          idempotencyKey: newKey(`race-${i}`),
          body: { storeId: 'aiea', sku: 'IPHONE-TRADEIN-KIT', quantity: 1, customer: customer(i) },
        }),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 100, 409: 1900 });
    expect(new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(100);
    const product = (await call(server.url, 'GET', '/api/stores/aiea/products')).body.products[0];
    expect(product).toMatchObject({ onHand: 100, held: 100, available: 0 });
  });

  it('50 concurrent requests with one idempotency key make one hold', async () => {
    await seedStore(server.url, 'kapolei', [{ sku: 'CASE', onHand: 100 }]);
    const key = newKey('same');
    const body = { storeId: 'kapolei', sku: 'CASE', quantity: 1, customer: customer('same') };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => call(server.url, 'POST', '/api/holds', { idempotencyKey: key, body })),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const product = (await call(server.url, 'GET', '/api/stores/kapolei/products')).body.products[0];
    expect(product).toMatchObject({ held: 1, available: 99 });
  });
});
