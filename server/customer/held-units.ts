import type { Customer } from '../../shared/api/common.ts';
import type { CreatedHold, CreateHoldRequest } from '../../shared/api/holds.ts';
import { ownerOfId } from '../../shared/ids.ts';
import { DAY_MS } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { createHold, newHoldId } from '../stock/holds.ts';
import { storeKeys } from '../stock/keys.ts';
import { customerIdentityKeys } from './keys.ts';

const claimScript = scriptAt('claim-held-units', import.meta.url, { keys: ['held'] });

/** Claims outlive any hold waiting for pickup; each is dropped once its hold is seen ended. */
const CLAIMS_TTL_MS = 30 * DAY_MS;
/** A claim whose hold does not exist yet is being made; after this long it never was. */
const UNMADE_HOLD_GRACE_MS = 60_000;
const ENDED = new Set(['fulfilled', 'cancelled', 'expired']);

/**
 * Claims `quantity` units of `sku` for the hold `holdId` under the product's per-customer cap
 * on units held at once across every store, or refuses with HOLD_LIMIT_REACHED. The caller
 * releases the claim when the hold is not made (`releaseHeldUnits`).
 */
export async function claimHeldUnits(
  deps: Deps,
  customer: Pick<Customer, 'email' | 'phone'>,
  sku: string,
  quantity: number,
  holdId: string,
  maxHeldAtOnce: number,
): Promise<void> {
  const key = customerIdentityKeys(customer).heldUnits(sku);
  const now = deps.clock.now();
  const ended = await endedClaims(deps, await deps.redis.hgetall(key), now);
  const [claimed, held] = (await claimScript.call(deps.redis, { held: key }, [
    now,
    holdId,
    quantity,
    maxHeldAtOnce,
    CLAIMS_TTL_MS,
    JSON.stringify(ended),
  ])) as [number, number];
  if (claimed !== 1) throw new AppError('HOLD_LIMIT_REACHED', { maxHeldAtOnce, heldNow: held });
}

/** Gives a claim back: its hold was refused, or the request was a replay of an earlier hold. */
export async function releaseHeldUnits(
  deps: Deps,
  customer: Pick<Customer, 'email' | 'phone'>,
  sku: string,
  holdId: string,
): Promise<void> {
  await deps.redis.hdel(customerIdentityKeys(customer).heldUnits(sku), holdId);
}

/** The claimed holds that no longer hold units, read from their stores (one read each). */
async function endedClaims(deps: Deps, claims: Record<string, string>, now: number): Promise<string[]> {
  const checks = Object.entries(claims).map(async ([holdId, claim]) => {
    const storeId = ownerOfId(holdId);
    if (!storeId) return holdId;
    const [status, expiresAt] = await deps.redis.hmget(
      storeKeys(storeId).hold(holdId),
      'status',
      'expiresAt',
    );
    const claimedAt = Number(claim.split('|')[1] ?? 0);
    if (status === null || status === undefined)
      return now - claimedAt > UNMADE_HOLD_GRACE_MS ? holdId : undefined;
    if (ENDED.has(status)) return holdId;
    // Expired but not swept yet: its units are free already (every script sweeps first).
    return status === 'held' && Number(expiresAt) <= now ? holdId : undefined;
  });
  return (await Promise.all(checks)).filter((id): id is string => id !== undefined);
}

/**
 * Makes a hold under the product's cap on units one customer holds at once across stores
 * (none when `maxHeldAtOnce` is undefined): the units are claimed under the customer's tag
 * first, and given back when the store refuses the hold. A replay (the same idempotency key)
 * answers the first result and claims nothing.
 */
export async function createHoldWithinCap(
  deps: Deps,
  request: CreateHoldRequest,
  ctx: MutationContext,
  maxHeldAtOnce: number | undefined,
): Promise<Outcome<CreatedHold>> {
  if (maxHeldAtOnce === undefined) return await createHold(deps, request, ctx);
  const seen = await deps.redis.exists(storeKeys(request.storeId).idempotency(ctx.idempotencyKey));
  if (seen) return await createHold(deps, request, ctx);
  const holdId = newHoldId(request.storeId);
  await claimHeldUnits(deps, request.customer, request.sku, request.quantity, holdId, maxHeldAtOnce);
  // A thrown error leaves the claim: the hold may exist (OUTCOME_UNKNOWN); if it does not,
  // the claim is dropped a minute later (UNMADE_HOLD_GRACE_MS).
  const outcome = await createHold(deps, request, ctx, holdId);
  if (!outcome.ok || outcome.replayed) await releaseHeldUnits(deps, request.customer, request.sku, holdId);
  return outcome;
}
