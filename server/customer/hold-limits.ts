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

const setNumber = (raw: string | null) => {
  const n = raw === null ? undefined : Number(raw);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

export async function readHoldLimit(deps: Deps, sku: string): Promise<HoldLimitView> {
  // Two untagged keys, maybe on two Cluster nodes: two reads, not one pipeline.
  const [perHold, atOnce] = await Promise.all([
    deps.redis.hget(HOLD_LIMITS_KEY, sku),
    deps.redis.hget(HELD_AT_ONCE_LIMITS_KEY, sku),
  ]);
  const maxPerHold = setNumber(perHold);
  const maxHeldAtOnce = setNumber(atOnce);
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
