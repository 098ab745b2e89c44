import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { changeStock } from '../../server/stock/stock.ts';
import { NO_STOCK, packStockRecord, parseStockRecord } from '../../server/stock/stock-record.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { newKey } from '../helpers/server.ts';

/** The packed stock record of stock-record.ts against prelude.lua's stock_of and stock_save. */

const STORE = 'aiea';
const k = storeKeys(STORE);
let redis: TestRedis;
let deps: Deps;
let now = Date.parse('2026-12-08T09:00:00Z');

beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig({ adminToken: 'unused-admin-token-0123' }), {
    clock: { now: () => now },
  });
  await deps.redis.hset(k.meta, 'id', STORE);
});
afterAll(async () => {
  await deps?.hub.close();
  await redis?.stop();
});

const receive = (sku: string, quantity: number) =>
  changeStock(
    deps,
    STORE,
    sku,
    { kind: 'receive', quantity },
    { idempotencyKey: newKey('record'), payloadHash: 'h', actor: { role: 'admin' } },
  );

async function stock(sku: string, record: Parameters<typeof packStockRecord>[0]): Promise<void> {
  await deps.redis.hset(k.catalog, sku, JSON.stringify({ name: sku, category: 'x', priceLabel: '$1' }));
  await deps.redis.hset(k.stock, sku, packStockRecord(record));
}

describe('the packed stock record', () => {
  it('reads back what it packs, and a missing field as zeros', () => {
    const record = { onHand: 12, held: 3, leased: 4, updatedAt: 1_765_184_400_000 };
    expect(packStockRecord(record)).toBe('12 3 4 1765184400000');
    expect(parseStockRecord(packStockRecord(record))).toEqual(record);
    expect(parseStockRecord(null)).toEqual(NO_STOCK);
    expect(() => packStockRecord({ ...record, held: 1.5 })).toThrow(/integers/);
  });

  it('is what the scripts read (stock_of) and write (stock_save), byte for byte', async () => {
    await stock('KIT', { onHand: 7, held: 2, leased: 1, updatedAt: 5 });
    now += 1_000;
    const outcome = await receive('KIT', 3);
    expect(outcome).toMatchObject({ ok: true, body: { stock: { onHand: 10, held: 2, leased: 1 } } });
    const written = await deps.redis.hget(k.stock, 'KIT');
    expect(written).toBe(packStockRecord({ onHand: 10, held: 2, leased: 1, updatedAt: now }));
    expect(parseStockRecord(written)).toEqual({ onHand: 10, held: 2, leased: 1, updatedAt: now });
  });

  it('carries units promised beyond the shelf (a shortfall) through the scripts', async () => {
    await stock('OVER', { onHand: 1, held: 3, leased: 2, updatedAt: 5 });
    const outcome = await receive('OVER', 1);
    expect(outcome).toMatchObject({
      ok: true,
      body: { stock: { onHand: 2, held: 3, leased: 2, shortfall: 3 } },
    });
    expect(parseStockRecord(await deps.redis.hget(k.stock, 'OVER'))).toMatchObject({ onHand: 2, held: 3 });
  });
});
