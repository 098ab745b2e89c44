import type { TabletView } from '../../../shared/api/admin-controls.ts';
import type { StockView } from '../../../shared/api/stock.ts';
import { listDevices, readDevice } from '../../auth/devices.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { type Outcome, scriptAt } from '../../redis/lua-script.ts';
import { type MutationContext, mutationArgs } from '../../redis/mutation.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from '../../stock/keys.ts';
import { listDeviceLeases } from '../../stock/leases.ts';
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
