import type { ProductAvailability } from '../../shared/api/customer.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { listProducts } from '../stock/catalog.ts';
import { storeKeys } from '../stock/keys.ts';
import { readStockOf } from '../stock/staff-reads.ts';
import { listStores } from '../stock/stores.ts';
import { searchCatalog } from './product-search.ts';

interface CatalogEntry {
  name: string;
  category: string;
  priceLabel: string;
}

/** One product at every store that carries it: what a customer may reserve, nothing internal. */
export async function readAvailability(deps: Deps, sku: string): Promise<ProductAvailability> {
  const stores = await listStores(deps);
  const entries = await Promise.all(
    stores.map(async (store) => {
      const json = await deps.redis.hget(storeKeys(store.id).catalog, sku);
      if (json === null) return undefined;
      const stock = (await readStockOf(deps, store.id, [sku]))[sku];
      return { storeId: store.id, entry: JSON.parse(json) as CatalogEntry, stock };
    }),
  );
  const carried = entries.filter((e) => e !== undefined);
  const first = carried[0];
  if (!first) throw new AppError('PRODUCT_NOT_FOUND');
  return {
    sku,
    name: first.entry.name,
    category: first.entry.category ?? '',
    priceLabel: first.entry.priceLabel ?? '',
    stores: carried.map(({ storeId, stock }) => ({
      storeId,
      available: stock?.available ?? 0,
      updatedAt: stock?.updatedAt ?? 0,
    })),
  };
}

/**
 * The product search across all stores: one row per sku, units summed over the stores, the
 * tolerant match of product-search.ts, one page of `limit` from `offset`.
 */
export async function searchProducts(
  deps: Deps,
  query: { q?: string | undefined; limit: number; offset: number },
) {
  const stores = await listStores(deps);
  const lists = await Promise.all(
    stores.map((store) => listProducts(deps, store.id, { limit: Number.MAX_SAFE_INTEGER })),
  );
  const bySku = new Map<
    string,
    { sku: string; name: string; category: string; priceLabel: string; available: number; stores: number }
  >();
  for (const { products } of lists) {
    for (const p of products) {
      const row = bySku.get(p.sku) ?? {
        sku: p.sku,
        name: p.name,
        category: p.category,
        priceLabel: p.priceLabel,
        available: 0,
        stores: 0,
      };
      row.available += p.available;
      row.stores += 1;
      bySku.set(p.sku, row);
    }
  }
  const all = searchCatalog([...bySku.values()], query.q ?? '');
  return {
    products: all.slice(query.offset, query.offset + query.limit),
    total: all.length,
    offset: query.offset,
  };
}
