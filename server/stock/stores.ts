import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY, storeMetaKey } from '../redis/keys.ts';

export const storeSchema = z
  .object({
    id: slugSchema,
    name: z.string().trim().min(1).max(100),
    address: z.string().trim().min(1).max(250),
    phone: z.string().trim().min(7).max(30),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Pacific/Honolulu'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  })
  .strict();
export type Store = z.infer<typeof storeSchema>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

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
