import type { SettledLeases, SettlementDecision } from '../../shared/api/admin-controls.ts';
import type { Actor, Deps } from '../deps.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import { actorJson, type MutationContext } from '../redis/mutation.ts';
import { storeKeys } from './keys.ts';
import { deviceLeaseKeys } from './leases.ts';
import type { StockRecord } from './stock-record.ts';
import { stockMutationPlan, stockScriptAt } from './stock-scripts.ts';
import { asArray, stockView } from './views.ts';

/**
 * Issue 15 §1: a revoked tablet's leased units. Revoking freezes them (out of `available`, out
 * of the sweeper's reach) until the tablet reports what it did before the revocation
 * (leases.ts reportLease) or an admin settles the rest here, in one atomic step per store.
 */

const freezeScript = scriptAt('freeze-device-leases', import.meta.url, {
  keys: ['audit', 'lease', 'leaseExpiry', 'revokedDevices'],
});
const settleScript = stockScriptAt('settle-device-leases', import.meta.url, {
  keys: [
    'idem',
    'audit',
    'catalog',
    'stock',
    'shortfalls',
    'holdExpiry',
    'holdsOpen',
    'lease',
    'leaseUntil',
    'leaseExpiry',
    'leaseDevices',
    'revokedDevices',
    'writtenOff',
  ],
});

/**
 * Marks the device revoked at its store, at `at` (the first revocation's instant is kept), and
 * takes its leases out of the expiry sweep. Returns the instant and the units it still keeps.
 */
export async function freezeDeviceLeases(
  deps: Deps,
  storeId: string,
  deviceId: string,
  actor: Actor,
  at: number,
): Promise<{ revokedAt: number; unreportedUnits: number }> {
  const k = storeKeys(storeId);
  const reply = (await freezeScript.call(
    deps.redis,
    {
      audit: k.audit,
      lease: k.lease(deviceId),
      leaseExpiry: k.leaseExpiry,
      revokedDevices: k.revokedDevices,
    },
    [deviceId, actorJson(actor), at],
  )) as [number, number];
  return { revokedAt: Number(reply[0]), unreportedUnits: Number(reply[1]) };
}

/** When the store recorded the device's revocation (undefined for an active tablet). */
export async function storeRevokedAt(
  deps: Deps,
  storeId: string,
  deviceId: string,
): Promise<number | undefined> {
  const at = await deps.redis.hget(storeKeys(storeId).revokedDevices, deviceId);
  return at === null ? undefined : Number(at);
}

/**
 * An admin's explicit decision about every unit a revoked tablet still keeps: written off (the
 * tablet is lost) or returned to the shelf. Idempotent by its key; once settled, nothing is
 * left, and a late report of the tablet is refused (it can never take more than its lease).
 */
export async function settleDeviceLeases(
  deps: Deps,
  storeId: string,
  deviceId: string,
  decision: SettlementDecision,
  ctx: MutationContext,
  revokedAt: number | undefined,
): Promise<Outcome<SettledLeases>> {
  const k = storeKeys(storeId);
  const keys = {
    ...deviceLeaseKeys(k, deviceId),
    idem: k.idempotency(ctx.idempotencyKey),
    leaseDevices: k.leaseDevices,
    writtenOff: k.writtenOff,
  };
  const outcome = await settleScript.decideWithFreshKeys<{
    decision: SettlementDecision;
    units: number;
    products: unknown;
  }>(deps.redis, stockMutationPlan(deps, k, keys, ctx, [deviceId, decision, revokedAt ?? '']));
  if (!outcome.ok) return outcome;
  const products = asArray<{ sku: string; quantity: number; stock: StockRecord }>(outcome.body.products);
  return {
    ...outcome,
    body: {
      decision: outcome.body.decision,
      units: outcome.body.units,
      products: products.map((p) => ({ sku: p.sku, quantity: p.quantity, stock: stockView(p.sku, p.stock) })),
    },
  };
}
