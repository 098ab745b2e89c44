import type { RevocationPreview } from '../../shared/api/admin-controls.ts';
import { AppError } from '../app-error.ts';
import type { Actor, Deps } from '../deps.ts';
import { listOpenHolds } from '../stock/holds.ts';
import { listDeviceLeases } from '../stock/leases.ts';
import { freezeDeviceLeases } from '../stock/revoked-leases.ts';
import { type DeviceRecord, listDevices, markDeviceRevoked, readDevice } from './devices.ts';

/**
 * Revoking a tablet (issue 15 §1). Its credential stops at once (but for its lease report),
 * and its leased units stay out of `available` until it reports what it did before the
 * revocation or an admin settles them: it may have sold some offline.
 */

/** What revoking `deviceId` would mean: is it its store's last active tablet, with pickups waiting? */
export async function previewRevocation(deps: Deps, deviceId: string): Promise<RevocationPreview> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  const [devices, holds, leases] = await Promise.all([
    listDevices(deps),
    listOpenHolds(deps, device.storeId),
    listDeviceLeases(deps, device.storeId, deviceId),
  ]);
  const othersActive = devices.some(
    (d) => d.storeId === device.storeId && d.deviceId !== deviceId && d.revokedAt === undefined,
  );
  return {
    lastActiveTablet: device.revokedAt === undefined && !othersActive,
    waitingPickups: holds.length,
    leasedUnits: leases.reduce((sum, l) => sum + l.quantity, 0),
  };
}

/**
 * Revokes the tablet. Refuses LAST_TABLET_PICKUPS_WAITING, changing nothing, when it is its
 * store's last active tablet while customers' pickups wait, unless the admin confirmed that.
 * The store's side is written first (its leases frozen, the instant recorded under the store's
 * hash tag), then the credential's: a crash between them leaves the units safe (out of
 * available) and the revocation can be run again; the first instant is kept on both sides.
 */
export async function revokeTablet(
  deps: Deps,
  deviceId: string,
  actor: Actor,
  options: { confirmWaitingPickups: boolean },
): Promise<{ device: DeviceRecord; unreportedUnits: number }> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  if (device.revokedAt === undefined && !options.confirmWaitingPickups) {
    const preview = await previewRevocation(deps, deviceId);
    if (preview.lastActiveTablet && preview.waitingPickups > 0)
      throw new AppError('LAST_TABLET_PICKUPS_WAITING', { waitingPickups: preview.waitingPickups });
  }
  const { revokedAt, unreportedUnits } = await freezeDeviceLeases(
    deps,
    device.storeId,
    deviceId,
    actor,
    device.revokedAt ?? deps.clock.now(),
  );
  return { device: await markDeviceRevoked(deps, deviceId, revokedAt), unreportedUnits };
}
