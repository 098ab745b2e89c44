import { type StoreAcknowledgement, storeAcknowledgement } from '../../shared/api/acknowledgement.ts';
import type { CreatedHold, CreateHoldRequest, HoldView } from '../../shared/api/holds.ts';
import { HOLD_STEP_RULES, type HoldStep } from '../../shared/hold-steps.ts';
import { newSecret, newUlid, ownerOfId } from '../../shared/ids.ts';
import { AppError } from '../app-error.ts';
import { sha256 } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import type { Outcome } from '../redis/lua-script.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from './keys.ts';
import { stockMutationPlan, stockScriptAt } from './stock-scripts.ts';
import { readStore } from './stores.ts';
import { sweepStore } from './sweeper.ts';
import { type HoldRecord, holdView, holdViewForStaff } from './views.ts';

const createHoldScript = stockScriptAt('create-hold', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, 'meta', 'hold'],
});
const holdStepScript = stockScriptAt('hold-step', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, 'fulfilled', 'hold'],
  constants: { RULES: HOLD_STEP_RULES },
});

/** A new hold's id: its store, then a ULID (shared/ids.ts). */
export function newHoldId(storeId: string): string {
  return `${storeId}.${newUlid()}`;
}

/** Reserves units for a customer; the answer carries the secret that manages the hold. */
export async function createHold(
  deps: Deps,
  request: CreateHoldRequest,
  ctx: MutationContext,
  holdId = newHoldId(request.storeId),
): Promise<Outcome<CreatedHold>> {
  const manageToken = newSecret();
  const k = storeKeys(request.storeId);
  const keys = {
    ...stockCoreKeys(k),
    idem: k.idempotency(ctx.idempotencyKey),
    meta: k.meta,
    hold: k.hold(holdId),
  };
  const outcome = await createHoldScript.decideWithFreshKeys<MadeHold>(
    deps.redis,
    stockMutationPlan(deps, k, keys, ctx, [
      holdId,
      request.sku,
      request.quantity,
      deps.config.holdTtlMs,
      sha256(manageToken),
      JSON.stringify(request.customer),
      manageToken,
    ]),
  );
  if (!outcome.ok) return outcome;
  const made = outcome.body;
  if ('hold' in made)
    return { ...outcome, body: { ...holdView(request.storeId, made.hold), manageToken: made.manageToken } };
  const body: CreatedHold = {
    id: made.id,
    storeId: request.storeId,
    sku: request.sku,
    quantity: request.quantity,
    status: 'held',
    createdAt: made.createdAt,
    expiresAt: made.expiresAt,
    customer: { name: request.customer.name },
    manageToken: made.manageToken,
  };
  return { ...outcome, body };
}

/**
 * What create-hold.lua answers (and stores for a replay): what the request does not say. An
 * answer stored before 2026-11-23 carries the whole hold instead, until it expires.
 */
type MadeHold =
  | { id: string; createdAt: number; expiresAt: number; manageToken: string }
  | { hold: HoldRecord; manageToken: string };

/** The store a hold id belongs to; unknown shapes are a 404, not a 400 (ids are opaque to users). */
export function storeOfHold(holdId: string): string {
  const storeId = ownerOfId(holdId);
  if (!storeId) throw new AppError('HOLD_NOT_FOUND');
  return storeId;
}

/**
 * Moves a hold one step. A customer proves ownership with the manage token; staff act for
 * their own store only (the caller passes the device's store, so another store's hold is not found).
 */
export async function stepHold(
  deps: Deps,
  storeId: string,
  holdId: string,
  step: HoldStep,
  who: { manageToken: string } | { deviceId: string },
  ctx: MutationContext,
): Promise<Outcome<HoldRecord>> {
  if (ownerOfId(holdId) !== storeId) return { ok: false, code: 'HOLD_NOT_FOUND', replayed: false };
  const k = storeKeys(storeId);
  const keys = {
    ...stockCoreKeys(k),
    idem: k.idempotency(ctx.idempotencyKey),
    fulfilled: k.fulfilled,
    hold: k.hold(holdId),
  };
  const outcome = await holdStepScript.decideWithFreshKeys<{ hold: HoldRecord }>(
    deps.redis,
    stockMutationPlan(deps, k, keys, ctx, [
      holdId,
      step,
      'manageToken' in who ? sha256(who.manageToken) : '',
      'deviceId' in who ? who.deviceId : '',
    ]),
  );
  return outcome.ok ? { ...outcome, body: outcome.body.hold } : outcome;
}

/** A customer reads their hold with its manage token; expiry is applied before answering. */
export async function readHoldForCustomer(
  deps: Deps,
  holdId: string,
  manageToken: string,
): Promise<HoldView & { storeAcknowledgement: StoreAcknowledgement }> {
  const storeId = storeOfHold(holdId);
  const key = storeKeys(storeId).hold(holdId);
  let h = await deps.redis.hgetall(key);
  if (!h.id || h.tokenHash !== sha256(manageToken)) throw new AppError('HOLD_NOT_FOUND');
  if (h.status === 'held' && Number(h.expiresAt) <= deps.clock.now()) {
    await sweepStore(deps, storeId);
    h = await deps.redis.hgetall(key);
  }
  const view = holdView(storeId, h);
  const store = await readStore(deps, storeId);
  const contact = { phone: store?.phone ?? '', name: store?.name ?? storeId };
  return {
    ...view,
    storeAcknowledgement: storeAcknowledgement(
      view,
      deps.clock.now(),
      deps.config.storeAckTimeoutMs,
      contact,
    ),
  };
}

/** The store's pickup queue: open holds first (oldest first), then the most recent closed ones. */
export async function listOpenHolds(deps: Deps, storeId: string) {
  const k = storeKeys(storeId);
  await sweepStore(deps, storeId);
  const ids = await deps.redis.zrange(k.holdsOpen, '0', '-1');
  const pipeline = deps.redis.pipeline();
  for (const id of ids) pipeline.hgetall(k.hold(id));
  const replies = (await pipeline.exec()) ?? [];
  return replies
    .map(([, value]) => value as Record<string, string>)
    .filter((h) => h.id !== undefined)
    .map((h) => holdViewForStaff(storeId, h));
}
