import type { RedisClient } from '../../server/redis/client.ts';
import type { StoreKeys } from '../../server/stock/keys.ts';
import { packStockRecord, parseStockRecord, type StockRecord } from '../../server/stock/stock-record.ts';

/** A product's numbers as they are in Redis (the stock hash of stock/keys.ts). */
export async function readStockRecord(redis: RedisClient, k: StoreKeys, sku: string): Promise<StockRecord> {
  return parseStockRecord(await redis.hget(k.stock, sku));
}

/** Writes a product's numbers straight into Redis, as prelude.lua stock_save would. */
export async function writeStockRecord(
  redis: RedisClient,
  k: StoreKeys,
  sku: string,
  counts: Partial<StockRecord>,
): Promise<void> {
  const record = { ...(await readStockRecord(redis, k, sku)), ...counts };
  await redis.hset(k.stock, sku, packStockRecord(record));
}
