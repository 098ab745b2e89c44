import { type Store, storeSchema } from '../../shared/api/stores.ts';
import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY, storeMetaKey } from '../redis/keys.ts';

export { type Store, storeSchema };

/** Creates or updates a store's record (kept in the store's own hash tag) and lists it. */
export async function upsertStore(deps: Deps, store: Store): Promise<void> {
  // Two writes, not one MULTI: the record and the untagged index live in different hash
  // tags (Redis Cluster refuses a transaction across slots). The record goes first, so the
  // index never names a store that does not exist.
  await deps.redis.hset(storeMetaKey(store.id), {
    id: store.id,
    name: store.name,
    address: store.address,
    phone: store.phone,
    timeZone: store.timeZone,
    latitude: store.latitude,
    longitude: store.longitude,
  });
  await deps.redis.zadd(STORES_INDEX_KEY, 0, store.id);
}

export async function readStore(deps: Deps, storeId: string): Promise<Store | undefined> {
  const h = await deps.redis.hgetall(storeMetaKey(storeId));
  if (!h.id) return undefined;
  return {
    id: h.id,
    name: h.name ?? '',
    address: h.address ?? '',
    phone: h.phone ?? '',
    timeZone: h.timeZone ?? 'UTC',
    latitude: Number(h.latitude),
    longitude: Number(h.longitude),
  };
}

export async function listStores(deps: Deps): Promise<Store[]> {
  const ids = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
  const stores = await Promise.all(ids.map((id) => readStore(deps, id)));
  return stores.filter((s): s is Store => s !== undefined);
}
