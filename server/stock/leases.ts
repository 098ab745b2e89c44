import type { LeaseAction, LeaseView, StockView } from '../../shared/api/stock.ts';
import type { Deps } from '../deps.ts';
import type { Outcome } from '../redis/lua-script.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { STOCK_CORE_ROLES, type StoreKeys, stockCoreKeys, storeKeys } from './keys.ts';
import type { StockRecord } from './stock-record.ts';
import { stockMutationPlan, stockScriptAt } from './stock-scripts.ts';
import { asArray, stockView } from './views.ts';

const DEVICE_LEASE_ROLES = ['lease', 'leaseUntil', 'leaseExpiry'] as const;
const takeScript = stockScriptAt('take-lease', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, ...DEVICE_LEASE_ROLES, 'leaseDevices', 'revokedDevices'],
});
const reportScript = stockScriptAt('report-lease', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, ...DEVICE_LEASE_ROLES, 'revokedDevices', 'sold', 'writtenOff'],
});

/** The store's core keys, one device's lease keys, and the store's revoked tablets. */
export function deviceLeaseKeys(k: StoreKeys, deviceId: string) {
  return {
    ...stockCoreKeys(k),
    lease: k.lease(deviceId),
    leaseUntil: k.leaseUntil(deviceId),
    leaseExpiry: k.leaseExpiry,
    revokedDevices: k.revokedDevices,
  };
}

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
  const k = storeKeys(storeId);
  const keys = {
    ...deviceLeaseKeys(k, deviceId),
    idem: k.idempotency(ctx.idempotencyKey),
    leaseDevices: k.leaseDevices,
  };
  const outcome = await takeScript.decideWithFreshKeys<{
    lease: Omit<LeaseView, 'deviceId'>;
    stock: StockRecord;
  }>(
    deps.redis,
    stockMutationPlan(deps, k, keys, ctx, [
      deviceId,
      sku,
      quantity,
      deps.config.leaseTtlMs,
      deps.config.leaseGraceMs,
    ]),
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

/**
 * Applies offline sales and write-offs made inside the lease, each at most once, and returns
 * the rest. A revoked tablet's report (its report-only credential, or its file imported by an
 * admin) is applied whole or refused whole: only actions from before `revokedAt`, within what
 * is left of its frozen lease, and nothing given back (issue 15 §1). `revokedAt` is what the
 * device's record says; the store's own mark (revokedDevices) wins when it has one.
 */
export async function reportLease(
  deps: Deps,
  storeId: string,
  deviceId: string,
  sku: string,
  report: { actions: LeaseAction[]; returnQuantity: number },
  ctx: MutationContext,
  revokedAt?: number,
): Promise<Outcome<LeaseReport>> {
  const k = storeKeys(storeId);
  const outcome = await reportScript.decideWithFreshKeys<{
    applied: unknown;
    skipped: unknown;
    returned: number;
    lease: Omit<LeaseView, 'deviceId'>;
    stock: StockRecord;
    shortfall: number;
  }>(
    deps.redis,
    stockMutationPlan(
      deps,
      k,
      {
        ...deviceLeaseKeys(k, deviceId),
        idem: k.idempotency(ctx.idempotencyKey),
        sold: k.sold,
        writtenOff: k.writtenOff,
      },
      ctx,
      [
        deviceId,
        sku,
        JSON.stringify(report.actions),
        report.returnQuantity,
        deps.config.idempotencyTtlMs,
        revokedAt ?? '',
      ],
      report.actions.map((action) => k.leaseAction(action.id)),
    ),
  );
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
  const k = storeKeys(storeId);
  const [quantities, until] = await Promise.all([
    deps.redis.hgetall(k.lease(deviceId)),
    deps.redis.hgetall(k.leaseUntil(deviceId)),
  ]);
  return Object.entries(quantities)
    .map(([sku, qty]) => ({ deviceId, sku, quantity: Number(qty), expiresAt: Number(until[sku] ?? 0) }))
    .filter((lease) => lease.quantity > 0);
}
