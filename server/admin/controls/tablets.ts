import type { z } from 'zod';
import {
  type ImportResult,
  type importUnsentSchema,
  type SettledLeases,
  type SettlementDecision,
  savedLeaseReportSchema,
  type TabletView,
} from '../../../shared/api/admin-controls.ts';
import type { StockView } from '../../../shared/api/stock.ts';
import { ERROR_MESSAGES } from '../../../shared/errors.ts';
import { type DeviceRecord, listDevices, readDevice } from '../../auth/devices.ts';
import type { Actor, Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { payloadHash } from '../../http/idempotency.ts';
import { type Outcome, scriptAt } from '../../redis/lua-script.ts';
import { type MutationContext, mutationArgs } from '../../redis/mutation.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from '../../stock/keys.ts';
import { listDeviceLeases, reportLease } from '../../stock/leases.ts';
import { settleDeviceLeases, storeRevokedAt } from '../../stock/revoked-leases.ts';
import type { StockRecord } from '../../stock/stock-record.ts';
import { stockView } from '../../stock/views.ts';

const returnLeaseScript = scriptAt('return-lease', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, 'lease', 'leaseUntil', 'leaseExpiry', 'leaseDevices'],
});

/** Every enrolled tablet (of one store, when given) with its leases, newest enrollment first. */
export async function listTablets(deps: Deps, storeId?: string): Promise<TabletView[]> {
  const devices = (await listDevices(deps)).filter((d) => storeId === undefined || d.storeId === storeId);
  const tablets = await Promise.all(
    devices.map(async (d): Promise<TabletView> => {
      const view: TabletView = {
        deviceId: d.deviceId,
        storeId: d.storeId,
        name: d.name,
        enrolledAt: d.enrolledAt,
        state: d.revokedAt === undefined ? 'active' : 'revoked',
        // A revoked tablet's leases are its units not yet reported (issue 15 §1).
        leases: await listDeviceLeases(deps, d.storeId, d.deviceId),
      };
      if (d.revokedAt !== undefined) view.revokedAt = d.revokedAt;
      return view;
    }),
  );
  return tablets.sort((a, b) => a.storeId.localeCompare(b.storeId) || b.enrolledAt - a.enrolledAt);
}

/** Gives one tablet's lease of one sku back to its store's pool. */
export async function returnTabletLease(
  deps: Deps,
  deviceId: string,
  sku: string,
  ctx: MutationContext,
): Promise<Outcome<{ returned: number; stock: StockView }>> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  const k = storeKeys(device.storeId);
  const outcome = await returnLeaseScript.decide<{ returned: number; stock: StockRecord }>(
    deps.redis,
    {
      ...stockCoreKeys(k),
      idem: k.idempotency(ctx.idempotencyKey),
      lease: k.lease(deviceId),
      leaseUntil: k.leaseUntil(deviceId),
      leaseExpiry: k.leaseExpiry,
      leaseDevices: k.leaseDevices,
    },
    mutationArgs(deps, ctx, [deviceId, sku]),
  );
  if (!outcome.ok) return outcome;
  return { ...outcome, body: { returned: outcome.body.returned, stock: stockView(sku, outcome.body.stock) } };
}

async function revokedDevice(deps: Deps, deviceId: string): Promise<DeviceRecord & { revokedAt: number }> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  const revokedAt = (await storeRevokedAt(deps, device.storeId, deviceId)) ?? device.revokedAt;
  if (revokedAt === undefined) throw new AppError('DEVICE_NOT_REVOKED', { deviceId });
  return { ...device, revokedAt };
}

/**
 * Issue 15 §1: the admin settles every unit a revoked tablet still keeps, written off or back
 * on the shelf, in one atomic step at its store, recorded with who decided.
 */
export async function settleTabletLeases(
  deps: Deps,
  deviceId: string,
  decision: SettlementDecision,
  ctx: MutationContext,
): Promise<Outcome<SettledLeases>> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  return await settleDeviceLeases(deps, device.storeId, deviceId, decision, ctx, device.revokedAt);
}

/**
 * Issue 15 §1: a revoked tablet's saved file, imported by an admin. Each offline sale or
 * write-off goes through the same lease report as the tablet's own (report-lease.lua), under
 * the idempotency key the tablet made, fingerprinted as the tablet would have sent it: whichever
 * of the two arrives first applies it, and the other changes nothing. Other actions (receive,
 * count, pickup steps) are not taken from a revoked tablet: staff do them again.
 */
export async function importTabletFile(
  deps: Deps,
  deviceId: string,
  file: z.infer<typeof importUnsentSchema>,
  admin: Actor,
): Promise<ImportResult> {
  const device = await revokedDevice(deps, deviceId);
  if (file.deviceId !== undefined && file.deviceId !== deviceId)
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path: 'deviceId', message: 'the file was saved by another tablet' }],
    });
  const tablet: Actor = { role: 'staff', deviceId, storeId: device.storeId };
  const result: ImportResult = { results: [], applied: 0, alreadyApplied: 0, refused: 0, notTaken: 0 };
  for (const action of file.actions) {
    const entry = { label: action.label, idempotencyKey: action.idempotencyKey };
    const saved =
      action.command.name === 'lease.report' && savedLeaseReportSchema.safeParse(action.command.args);
    if (!saved || !saved.success || saved.data.actions.length === 0) {
      result.notTaken += 1;
      result.results.push({
        ...entry,
        outcome: 'not_taken',
        message:
          'Only offline sales and write-offs from the tablet’s allowance are taken from a removed tablet.',
      });
      continue;
    }
    const { sku, ...report } = saved.data;
    const ctx: MutationContext = {
      idempotencyKey: action.idempotencyKey,
      payloadHash: payloadHash('lease.report', `${device.storeId}/${sku}`, report, tablet),
      actor: admin,
    };
    const outcome = await reportLease(deps, device.storeId, deviceId, sku, report, ctx, device.revokedAt);
    if (!outcome.ok) {
      result.refused += 1;
      const message = ERROR_MESSAGES[outcome.code];
      result.results.push({ ...entry, outcome: 'refused', code: outcome.code, message });
    } else if (outcome.replayed || outcome.body.applied.length === 0) {
      result.alreadyApplied += 1;
      result.results.push({ ...entry, outcome: 'already_applied' });
    } else {
      result.applied += 1;
      result.results.push({ ...entry, outcome: 'applied' });
    }
  }
  return result;
}
