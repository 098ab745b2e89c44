import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY, storePrefix } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { storeKeys } from './keys.ts';

const adoptScript = scriptAt('adopt-stock-records', import.meta.url, {
  keys: ['stock', 'catalog', 'oldOnHand', 'oldHeld', 'oldLeased', 'oldUpdated'],
});

/** The per-counter hashes a store's numbers were kept in before 2026-11-23. */
export function oldStockKeys(storeId: string) {
  const p = storePrefix(storeId);
  return { oldOnHand: `${p}onhand`, oldHeld: `${p}held`, oldLeased: `${p}leased`, oldUpdated: `${p}updated` };
}

/**
 * Moves every store still in the old stock layout (one hash per counter) into the stock hash,
 * before the instance serves: the scripts read only the stock hash. Returns the products moved.
 */
export async function adoptStockRecords(deps: Deps): Promise<number> {
  const storeIds = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
  let moved = 0;
  for (const storeId of storeIds) {
    const k = storeKeys(storeId);
    const keys = { stock: k.stock, catalog: k.catalog, ...oldStockKeys(storeId) };
    moved += Number(await adoptScript.call(deps.redis, keys, []));
  }
  return moved;
}
