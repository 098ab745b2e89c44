import type { StockView } from '../../shared/api/stock.ts';
import type { Deps } from '../deps.ts';
import { storeKeys } from './keys.ts';
import { parseStockRecord } from './stock-record.ts';
import { type HoldRecord, holdViewForStaff, stockView } from './views.ts';

/** The numbers of some products (or every product when `skus` is undefined), for the tablets' projection. */
export async function readStockOf(
  deps: Deps,
  storeId: string,
  skus?: string[],
): Promise<Record<string, StockView>> {
  const k = storeKeys(storeId);
  const names = skus ?? (await deps.redis.hkeys(k.catalog));
  if (names.length === 0) return {};
  const records = await deps.redis.hmget(k.stock, ...names);
  const stock: Record<string, StockView> = {};
  names.forEach((sku, i) => {
    stock[sku] = stockView(sku, parseStockRecord(records[i]));
  });
  return stock;
}

/** Some holds of a store as staff see them; a hold that does not exist is left out. */
export async function readStaffHolds(deps: Deps, storeId: string, holdIds: string[]) {
  if (holdIds.length === 0) return [];
  const k = storeKeys(storeId);
  const pipeline = deps.redis.pipeline();
  for (const id of holdIds) pipeline.hgetall(k.hold(id));
  return ((await pipeline.exec()) ?? [])
    .map(([, value]) => value as HoldRecord)
    .filter((h) => h.id !== undefined)
    .map((h) => holdViewForStaff(storeId, h));
}
