import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { adoptStockRecords, oldStockKeys } from '../../server/stock/layout.ts';
import { readStockOf } from '../../server/stock/staff-reads.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';
import { readStockRecord } from '../helpers/stock-record.ts';

let redis: TestRedis;
let deps: Deps;
beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig());
});
afterAll(async () => {
  await redis?.stop();
});

describe('a store kept in the stock layout before 2026-11-23', () => {
  it('is moved into the stock hash when an instance starts, and sells what it had', async () => {
    let server: TestServer | undefined = await startTestServer(redis);
    await seedStore(server.url, 'aiea', [
      { sku: 'KIT', onHand: 1 },
      { sku: 'CASE', onHand: 1 },
    ]);
    await server.close();
    server = undefined;

    // Back to the old layout: one hash per counter, field = sku.
    const k = storeKeys('aiea');
    const old = oldStockKeys('aiea');
    const db = redis.client();
    await db.del(k.stock);
    await db.hset(old.oldOnHand, 'KIT', 5, 'CASE', 2);
    await db.hset(old.oldHeld, 'KIT', 2);
    await db.hset(old.oldLeased, 'CASE', 2);
    await db.hset(old.oldUpdated, 'KIT', 1_700_000_000_000, 'CASE', 1_700_000_000_001);

    server = await startTestServer(redis);
    try {
      expect(await readStockOf(deps, 'aiea')).toMatchObject({
        KIT: { onHand: 5, held: 2, leased: 0, available: 3, updatedAt: 1_700_000_000_000 },
        CASE: { onHand: 2, held: 0, leased: 2, available: 0, updatedAt: 1_700_000_000_001 },
      });
      expect(await db.exists(...Object.values(old))).toBe(0);
      const hold = (sku: string) =>
        call(server?.url ?? '', 'POST', '/api/holds', {
          idempotencyKey: newKey('adopted'),
          body: { storeId: 'aiea', sku, quantity: 3, customer: { name: 'Ana', email: 'ana@example.com' } },
        });
      expect((await hold('KIT')).status).toBe(201);
      expect((await hold('CASE')).body.code).toBe('SOLD_OUT');
      expect(await readStockRecord(db, k, 'KIT')).toMatchObject({ onHand: 5, held: 5 });

      // Running again (another instance starting) moves nothing and keeps the new numbers.
      expect(await adoptStockRecords(deps)).toBe(0);
      expect(await readStockRecord(db, k, 'KIT')).toMatchObject({ held: 5 });
    } finally {
      await server?.close();
    }
  });
});
