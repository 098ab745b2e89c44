import type { KnownProduct } from '../../../shared/api/admin-controls.ts';
import { AppError } from '../../app-error.ts';
import type { Deps } from '../../deps.ts';
import { readStoreStock } from '../../stock/catalog.ts';
import { storeKeys } from '../../stock/keys.ts';

/**
 * Which of `skus` the store already has, with their names and shelf counts: the CSV preview
 * says which rows are new and which overwrite a count before anything is written.
 */
export async function lookUpProducts(deps: Deps, storeId: string, skus: string[]): Promise<KnownProduct[]> {
  if (!(await deps.redis.exists(storeKeys(storeId).meta))) throw new AppError('STORE_NOT_FOUND');
  const stock = await readStoreStock(deps, storeId);
  const known: KnownProduct[] = [];
  for (const sku of new Set(skus)) {
    const product = stock.get(sku);
    if (product) known.push({ sku, name: product.name, onHand: product.onHand });
  }
  return known;
}
