import type { RedisClient } from '../../server/redis/client.ts';
import type { StoreKeys } from '../../server/stock/keys.ts';
import { parseStockRecord, type StockCounts } from '../../server/stock/views.ts';

/** A product's numbers as they are in Redis (the stock hash of stock/keys.ts). */
export async function readStockRecord(redis: RedisClient, k: StoreKeys, sku: string): Promise<StockCounts> {
  return parseStockRecord(await redis.hget(k.stock, sku));
}

/** Writes a product's numbers straight into Redis, as prelude.lua stock_save would. */
export async function writeStockRecord(
  redis: RedisClient,
  k: StoreKeys,
  sku: string,
  counts: Partial<StockCounts>,
): Promise<void> {
  const s = { ...(await readStockRecord(redis, k, sku)), ...counts };
  await redis.hset(k.stock, sku, `${s.onHand} ${s.held} ${s.leased} ${s.updatedAt}`);
}
