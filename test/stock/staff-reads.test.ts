import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAuditStream } from '../../server/audit/streams.ts';
import { readStockOf } from '../../server/stock/staff-reads.ts';
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

describe("reading what the tablets' projection needs", () => {
  it('reads the numbers of the products asked for, or of every product', async () => {
    await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
    });
    expect((await readStockOf(server.deps, 'aiea', ['KIT'])).KIT).toMatchObject({
      onHand: 4,
      held: 1,
      available: 3,
    });
    expect(Object.keys(await readStockOf(server.deps, 'aiea'))).toEqual(['KIT']);
  });

  it('is told of each change through the store’s audit stream, by the instance’s hub', async () => {
    const seen: string[] = [];
    const subscription = server.deps.hub.subscribe(storeAuditStream('aiea'), {
      onEntries: (entries) => {
        for (const entry of entries) seen.push(`${entry.type} ${String(entry.data.sku)}`);
      },
    });
    try {
      await subscription.ready;
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(2) },
      });
      await waitUntil(
        async () => seen,
        (list) => list.includes('hold.created KIT'),
      );
    } finally {
      subscription.unsubscribe();
    }
  });
});
