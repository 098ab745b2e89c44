import { DEFAULT_MAX_PER_HOLD, type HoldLimitView } from '../../shared/api/hold-limits.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';

/**
 * The per-product cap on one hold's quantity, set by an admin (one number per sku, for every
 * store). It is a setting, not a contended counter, so reading it before the hold script runs
 * is enough: the script still decides whether the units exist.
 */
export const HOLD_LIMITS_KEY = 'hold-limits';

export async function readHoldLimit(deps: Deps, sku: string): Promise<HoldLimitView> {
  const raw = await deps.redis.hget(HOLD_LIMITS_KEY, sku);
  const set = raw === null ? undefined : Number(raw);
  return set === undefined || !Number.isInteger(set)
    ? { sku, maxPerHold: DEFAULT_MAX_PER_HOLD, isDefault: true }
    : { sku, maxPerHold: set, isDefault: false };
}

export async function setHoldLimit(deps: Deps, sku: string, maxPerHold: number): Promise<HoldLimitView> {
  await deps.redis.hset(HOLD_LIMITS_KEY, sku, String(maxPerHold));
  return { sku, maxPerHold, isDefault: false };
}

/** Refuses a hold larger than the product's cap, with the cap in the details for the page. */
export async function assertWithinHoldLimit(deps: Deps, sku: string, quantity: number): Promise<void> {
  const { maxPerHold } = await readHoldLimit(deps, sku);
  if (quantity > maxPerHold) throw new AppError('HOLD_LIMIT_REACHED', { maxPerHold });
}
