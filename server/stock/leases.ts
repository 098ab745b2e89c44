import type { LeaseAction, LeaseView, StockView } from '../../shared/api/stock.ts';
import type { Actor, Deps } from '../deps.ts';
import { storePrefix } from '../redis/keys.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import { actorJson, type MutationContext, runMutation } from '../redis/mutation.ts';
import { asArray, type StockCounts, stockView } from './views.ts';

const takeScript = scriptAt('take-lease', import.meta.url);
const reportScript = scriptAt('report-lease', import.meta.url);
const returnAllScript = scriptAt('return-device-leases', import.meta.url);

export interface LeaseTaken {
  lease: LeaseView;
  stock: StockView;
}

/** Moves `quantity` available units into the device's lease (DESIGN rule 3). */
export async function takeLease(
  deps: Deps,
  storeId: string,
  deviceId: string,
  sku: string,
  quantity: number,
  ctx: MutationContext,
): Promise<Outcome<LeaseTaken>> {
  const outcome = await runMutation<{ lease: Omit<LeaseView, 'deviceId'>; stock: StockCounts }>(
    deps,
    takeScript,
    storePrefix(storeId),
    ctx,
    [deviceId, sku, quantity, deps.config.leaseTtlMs, deps.config.leaseGraceMs],
  );
  if (!outcome.ok) return outcome;
  return {
    ...outcome,
    body: { lease: { deviceId, ...outcome.body.lease }, stock: stockView(sku, outcome.body.stock) },
  };
}

export interface LeaseReport {
  applied: string[];
  skipped: string[];
  returned: number;
  lease: LeaseView;
  stock: StockView;
  shortfall: number;
}

/** Applies offline sales and write-offs made inside the lease, each at most once, and returns the rest. */
export async function reportLease(
  deps: Deps,
  storeId: string,
  deviceId: string,
  sku: string,
  report: { actions: LeaseAction[]; returnQuantity: number },
  ctx: MutationContext,
): Promise<Outcome<LeaseReport>> {
  const outcome = await runMutation<{
    applied: unknown;
    skipped: unknown;
    returned: number;
    lease: Omit<LeaseView, 'deviceId'>;
    stock: StockCounts;
    shortfall: number;
  }>(deps, reportScript, storePrefix(storeId), ctx, [
    deviceId,
    sku,
    JSON.stringify(report.actions),
    report.returnQuantity,
    deps.config.idempotencyTtlMs,
  ]);
  if (!outcome.ok) return outcome;
  const b = outcome.body;
  return {
    ...outcome,
    body: {
      applied: asArray<string>(b.applied),
      skipped: asArray<string>(b.skipped),
      returned: b.returned,
      lease: { deviceId, ...b.lease },
      stock: stockView(sku, b.stock),
      shortfall: b.shortfall,
    },
  };
}

/** The leases a device holds at its store. */
export async function listDeviceLeases(deps: Deps, storeId: string, deviceId: string): Promise<LeaseView[]> {
  const p = storePrefix(storeId);
  const [quantities, until] = await Promise.all([
    deps.redis.hgetall(`${p}lease:${deviceId}`),
    deps.redis.hgetall(`${p}lease-until:${deviceId}`),
  ]);
  return Object.entries(quantities)
    .map(([sku, qty]) => ({ deviceId, sku, quantity: Number(qty), expiresAt: Number(until[sku] ?? 0) }))
    .filter((lease) => lease.quantity > 0);
}

/** Gives back every unit a (revoked) device holds at its store; returns how many. */
export async function returnAllLeasesOfDevice(
  deps: Deps,
  storeId: string,
  deviceId: string,
  actor: Actor,
): Promise<number> {
  const p = storePrefix(storeId);
  return (await returnAllScript.run(deps.redis, [`${p}audit`], [p, deviceId, actorJson(actor)])) as number;
}
