import type { ListedStore } from '../../shared/api/stores.ts';
import { type StoreHours, storeHoursSchema, todayHoursLabel } from '../../shared/opening-hours.ts';
import type { Deps } from '../deps.ts';
import { storePrefix } from '../redis/keys.ts';
import { listStores } from '../stock/stores.ts';

/**
 * A store's opening hours live under the store's own hash tag, as one JSON value: every
 * instance reads them from Redis on each use, so a change is seen everywhere at once.
 */
export function storeHoursKey(storeId: string): string {
  return `${storePrefix(storeId)}hours`;
}

/** The store's hours, or undefined while an admin has set none. */
export async function readStoreHours(deps: Deps, storeId: string): Promise<StoreHours | undefined> {
  const raw = await deps.redis.get(storeHoursKey(storeId));
  // Parsed, not cast: what Redis holds was written through the same schema.
  return raw === null ? undefined : storeHoursSchema.parse(JSON.parse(raw));
}

/** Replaces the store's hours as a whole (the console sends the week and every exception). */
export async function writeStoreHours(deps: Deps, storeId: string, hours: StoreHours): Promise<void> {
  await deps.redis.set(storeHoursKey(storeId), JSON.stringify(storeHoursSchema.parse(hours)));
}

/** Many stores' hours in one round trip, in the order given. */
export async function readManyStoreHours(
  deps: Deps,
  storeIds: readonly string[],
): Promise<(StoreHours | undefined)[]> {
  if (storeIds.length === 0) return [];
  // One GET per store, pipelined: each key is in its own store's tag (Cluster-safe, unlike MGET).
  const pipeline = deps.redis.pipeline();
  for (const id of storeIds) pipeline.get(storeHoursKey(id));
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([, raw]) =>
    typeof raw === 'string' ? storeHoursSchema.parse(JSON.parse(raw)) : undefined,
  );
}

/** "Open today 9:00 AM - 9:00 PM HST" at the clock's now, or undefined without hours. */
export function todayLabelOf(
  deps: Deps,
  hours: StoreHours | undefined,
  timeZone: string,
): string | undefined {
  return hours ? todayHoursLabel(hours, deps.clock.now(), timeZone) : undefined;
}

/** Every store, each with its hours and today's label when it has hours (the customer listing). */
export async function listStoresWithHours(deps: Deps): Promise<ListedStore[]> {
  const stores = await listStores(deps);
  const hours = await readManyStoreHours(
    deps,
    stores.map((s) => s.id),
  );
  return stores.map((store, i) => {
    const h = hours[i];
    const today = todayLabelOf(deps, h, store.timeZone);
    return h && today !== undefined ? { ...store, hours: h, today } : store;
  });
}
