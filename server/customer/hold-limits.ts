import { DEFAULT_MAX_PER_HOLD, type HoldLimitView } from '../../shared/api/hold-limits.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';

/**
 * The per-product caps set by an admin (one number per sku, for every store): units in one
 * hold, and units one customer holds at once across stores (issue 10 §4). They are settings,
 * not contended counters, so reading them before the scripts run is enough.
 */
export const HOLD_LIMITS_KEY = 'hold-limits';
export const HELD_AT_ONCE_LIMITS_KEY = 'held-at-once-limits';
/** Counts changes to the two hashes above, so an instance re-reads them only after one. */
export const HOLD_LIMITS_VERSION_KEY = 'hold-limits-version';

const setNumber = (raw: string | undefined) => {
  const n = raw === undefined ? undefined : Number(raw);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

/** Both hashes as read after the change counter said `version`. */
interface LimitsSnapshot {
  version: string | null;
  perHold: Record<string, string>;
  atOnce: Record<string, string>;
}

/** Each Redis client's last snapshot (a server instance has one client; tests start several). */
const snapshots = new WeakMap<object, Promise<LimitsSnapshot>>();

/**
 * Every product's caps, current as of this call: one GET of the change counter per call, and
 * the hashes again only when it moved (an admin set a cap, or the data was replaced). A hold
 * used to read both hashes, two commands more per hold (issue 10 §1).
 */
async function currentLimits(deps: Deps): Promise<LimitsSnapshot> {
  const version = await deps.redis.get(HOLD_LIMITS_VERSION_KEY);
  const cached = snapshots.get(deps.redis);
  if (cached) {
    const snapshot = await cached.catch(() => undefined);
    if (snapshot?.version === version) return snapshot;
  }
  // Two untagged keys, maybe on two Cluster nodes: two reads, not one pipeline.
  const loading = Promise.all([
    deps.redis.hgetall(HOLD_LIMITS_KEY),
    deps.redis.hgetall(HELD_AT_ONCE_LIMITS_KEY),
  ]).then(([perHold, atOnce]) => ({ version, perHold, atOnce }));
  snapshots.set(deps.redis, loading);
  return await loading;
}

export async function readHoldLimit(deps: Deps, sku: string): Promise<HoldLimitView> {
  const { perHold, atOnce } = await currentLimits(deps);
  const maxPerHold = setNumber(perHold[sku]);
  const maxHeldAtOnce = setNumber(atOnce[sku]);
  return {
    sku,
    maxPerHold: maxPerHold ?? DEFAULT_MAX_PER_HOLD,
    isDefault: maxPerHold === undefined,
    ...(maxHeldAtOnce === undefined ? {} : { maxHeldAtOnce }),
  };
}

/** Sets both caps of a product; without `maxHeldAtOnce` the product has no cap across stores. */
export async function setHoldLimit(
  deps: Deps,
  sku: string,
  maxPerHold: number,
  maxHeldAtOnce?: number,
): Promise<HoldLimitView> {
  await deps.redis.hset(HOLD_LIMITS_KEY, sku, String(maxPerHold));
  if (maxHeldAtOnce === undefined) await deps.redis.hdel(HELD_AT_ONCE_LIMITS_KEY, sku);
  else await deps.redis.hset(HELD_AT_ONCE_LIMITS_KEY, sku, String(maxHeldAtOnce));
  // After the hashes: an instance that sees the new count reads the new caps.
  await deps.redis.incr(HOLD_LIMITS_VERSION_KEY);
  return { sku, maxPerHold, isDefault: false, ...(maxHeldAtOnce === undefined ? {} : { maxHeldAtOnce }) };
}

/**
 * Refuses a hold larger than the product's cap, with the cap in the details for the page;
 * answers the product's limits for the checks that follow.
 */
export async function assertWithinHoldLimit(
  deps: Deps,
  sku: string,
  quantity: number,
): Promise<HoldLimitView> {
  const limit = await readHoldLimit(deps, sku);
  if (quantity > limit.maxPerHold) throw new AppError('HOLD_LIMIT_REACHED', { maxPerHold: limit.maxPerHold });
  return limit;
}
