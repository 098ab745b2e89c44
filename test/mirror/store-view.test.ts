import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStoreView, storeAuditStream, watchStream } from '../../server/mirror/store-view.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 4 }]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('the store view mirrored to tablets', () => {
  it('holds the scarce numbers and open holds of the store', async () => {
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
    });
    const view = await readStoreView(server.deps, 'aiea');
    expect(view.stock.KIT).toMatchObject({ onHand: 4, held: 1, available: 3 });
    expect(view.holds[hold.body.id]).toMatchObject({
      sku: 'KIT',
      status: 'held',
      customer: { email: 'customer1@example.com' },
    });
  });

  it('is told of each change through the store’s audit stream', async () => {
    const seen: string[] = [];
    const stop = watchStream(server.deps.redis, storeAuditStream('aiea'), (entries) => {
      for (const entry of entries) seen.push(`${entry.type} ${String(entry.data.sku)}`);
    });
    try {
      // The watcher starts at "now": wait until its first XREAD is blocking before changing anything.
      await waitUntil(
        async () => (await server.deps.redis.client('LIST')) as string,
        (list) => list.includes('cmd=xread'),
      );
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(2) },
      });
      await waitUntil(
        async () => seen,
        (list) => list.includes('hold.created KIT'),
      );
    } finally {
      stop();
    }
  });
});
