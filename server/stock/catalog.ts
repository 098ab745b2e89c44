import type { ProductImport, ProductView, StockView } from '../../shared/api/stock.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import type { Outcome } from '../redis/lua-script.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { type MutationContext, mutationArgs } from '../redis/mutation.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from './keys.ts';
import { parseStockRecord } from './stock-record.ts';
import { sweepStore } from './sweeper.ts';
import { stockView } from './views.ts';

const importScript = scriptAt('import-products', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, 'received', 'countedOut'],
});

/** Products per import script call: large enough to be quick, small enough not to stall Redis. */
const IMPORT_BATCH = 500;

interface CatalogEntry {
  name: string;
  category: string;
  priceLabel: string;
}

/** Every product's numbers at one store, after releasing expired holds (so reads never show stale holds). */
export async function readStoreStock(
  deps: Deps,
  storeId: string,
): Promise<Map<string, StockView & CatalogEntry>> {
  const k = storeKeys(storeId);
  await sweepStore(deps, storeId);
  const replies = await deps.redis.multi().hgetall(k.catalog).hgetall(k.stock).exec();
  const [catalog, stock] = (replies ?? []).map(([error, value]) => {
    if (error) throw error;
    return value as Record<string, string>;
  }) as Record<string, string>[];
  const products = new Map<string, StockView & CatalogEntry>();
  for (const [sku, json] of Object.entries(catalog ?? {})) {
    const entry = JSON.parse(json) as CatalogEntry;
    products.set(sku, { ...entry, ...stockView(sku, parseStockRecord(stock?.[sku])) });
  }
  return products;
}

/** The public product list: search by sku, name or category; sorted by name. */
export async function listProducts(
  deps: Deps,
  storeId: string,
  query: { q?: string | undefined; limit: number },
): Promise<{ products: ProductView[]; total: number }> {
  if (!(await deps.redis.exists(storeKeys(storeId).meta))) throw new AppError('STORE_NOT_FOUND');
  const needle = query.q?.trim().toLowerCase() ?? '';
  const all = [...(await readStoreStock(deps, storeId)).values()].filter(
    (p) =>
      needle === '' ||
      p.sku.toLowerCase().includes(needle) ||
      p.name.toLowerCase().includes(needle) ||
      p.category.toLowerCase().includes(needle),
  );
  all.sort((a, b) => a.name.localeCompare(b.name) || a.sku.localeCompare(b.sku));
  return { products: all.slice(0, query.limit), total: all.length };
}

/** Loads products and shelf counts into a store, in batches, each batch atomic and idempotent. */
export async function importProducts(
  deps: Deps,
  storeId: string,
  products: ProductImport['products'],
  ctx: MutationContext,
): Promise<{ created: number; updated: number; replayed: boolean }> {
  if (!(await deps.redis.exists(storeKeys(storeId).meta))) throw new AppError('STORE_NOT_FOUND');
  const k = storeKeys(storeId);
  let created = 0;
  let updated = 0;
  // True when every batch was applied before (the same import sent again): nothing changed.
  let replayed = true;
  for (let start = 0; start < products.length; start += IMPORT_BATCH) {
    const batch = products.slice(start, start + IMPORT_BATCH);
    const batchCtx = { ...ctx, idempotencyKey: `${ctx.idempotencyKey}:${start / IMPORT_BATCH}` };
    const keys = {
      ...stockCoreKeys(k),
      idem: k.idempotency(batchCtx.idempotencyKey),
      received: k.received,
      countedOut: k.countedOut,
    };
    const outcome: Outcome<{ created: number; updated: number }> = await importScript.decide(
      deps.redis,
      keys,
      mutationArgs(deps, batchCtx, [JSON.stringify(batch)]),
    );
    if (!outcome.ok) throw new AppError(outcome.code, outcome.details);
    created += outcome.body.created;
    updated += outcome.body.updated;
    replayed &&= outcome.replayed;
  }
  return { created, updated, replayed };
}
