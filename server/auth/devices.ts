import { newSecret, newUlid } from '../../shared/ids.ts';
import { AppError } from '../app-error.ts';
import { secretsMatch, sha256 } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { authKeys } from './keys.ts';

const enrollScript = scriptAt('enroll-device', import.meta.url, { keys: ['code', 'device', 'devices'] });

/** Device credentials read `dev_<deviceId>.<secret>`. */
const CREDENTIAL_PATTERN = /^dev_([0-9A-Z]{26})\.([0-9a-f]{48})$/;

export interface DeviceRecord {
  deviceId: string;
  storeId: string;
  name: string;
  enrolledAt: number;
  revokedAt?: number;
}

const deviceKey = authKeys.device;
const codeKey = (code: string) => authKeys.enrollmentCode(sha256(code.toUpperCase()));

/** An admin makes a one-time code that binds one tablet to `storeId`. */
export async function createEnrollmentCode(
  deps: Deps,
  storeId: string,
): Promise<{ code: string; expiresAt: number }> {
  // 10 Crockford characters (50 bits), easy to type on a tablet, grouped for reading.
  const raw = newUlid().slice(-10);
  const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  await deps.redis.set(codeKey(code), storeId, 'PX', deps.config.enrollmentCodeTtlMs);
  return { code, expiresAt: deps.clock.now() + deps.config.enrollmentCodeTtlMs };
}

/** The tablet trades the code for a credential it keeps; the code works once. */
export async function enrollDevice(
  deps: Deps,
  code: string,
  name: string,
): Promise<{ deviceId: string; storeId: string; credential: string }> {
  const deviceId = newUlid();
  const secret = newSecret(24);
  const reply = (await enrollScript.call(
    deps.redis,
    { code: codeKey(code.trim()), device: deviceKey(deviceId), devices: authKeys.devices },
    [deviceId, sha256(secret), name, deps.clock.now()],
  )) as [string | null];
  const storeId = reply[0];
  if (!storeId) throw new AppError('ENROLLMENT_CODE_INVALID');
  return { deviceId, storeId, credential: `dev_${deviceId}.${secret}` };
}

export async function readDevice(deps: Deps, deviceId: string): Promise<DeviceRecord | undefined> {
  const h = await deps.redis.hgetall(deviceKey(deviceId));
  if (!h.storeId) return undefined;
  const record: DeviceRecord = {
    deviceId,
    storeId: h.storeId,
    name: h.name ?? '',
    enrolledAt: Number(h.enrolledAt),
  };
  if (h.revokedAt) record.revokedAt = Number(h.revokedAt);
  return record;
}

/**
 * Checks a bearer credential; throws UNAUTHENTICATED or DEVICE_REVOKED. With `reportOnly`, a
 * revoked tablet's credential still passes (its record carries `revokedAt`): the one route that
 * asks for it is the lease report, where it delivers what it did before it was revoked
 * (issue 15 §1). Every other use of a revoked credential is refused.
 */
export async function authenticateDevice(
  deps: Deps,
  credential: string,
  options: { reportOnly?: boolean } = {},
): Promise<DeviceRecord> {
  const match = CREDENTIAL_PATTERN.exec(credential);
  if (!match) throw new AppError('UNAUTHENTICATED');
  const [, deviceId = '', secret = ''] = match;
  const h = await deps.redis.hgetall(deviceKey(deviceId));
  if (!h.storeId || !h.secretHash || !secretsMatch(h.secretHash, sha256(secret))) {
    throw new AppError('UNAUTHENTICATED');
  }
  const record: DeviceRecord = {
    deviceId,
    storeId: h.storeId,
    name: h.name ?? '',
    enrolledAt: Number(h.enrolledAt),
  };
  if (h.revokedAt) {
    if (!options.reportOnly) throw new AppError('DEVICE_REVOKED');
    record.revokedAt = Number(h.revokedAt);
  }
  return record;
}

export async function listDevices(deps: Deps): Promise<DeviceRecord[]> {
  const ids = await deps.redis.zrange(authKeys.devices, '0', '-1');
  const devices = await Promise.all(ids.map((id) => readDevice(deps, id)));
  return devices.filter((d): d is DeviceRecord => d !== undefined);
}

/**
 * Marks the device revoked at `at`; its credential stops working at once (but for its lease
 * report). A device revoked before keeps its first instant. The store's side (its leases kept
 * out of available) is the caller's: stock/revoked-leases.ts freezeDeviceLeases, called first.
 */
export async function markDeviceRevoked(
  deps: Deps,
  deviceId: string,
  at = deps.clock.now(),
): Promise<DeviceRecord> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  if (device.revokedAt === undefined) {
    device.revokedAt = at;
    await deps.redis.hset(deviceKey(deviceId), 'revokedAt', device.revokedAt);
  }
  return device;
}

/** Renames a device: the name admins and the sync-status page know it by. */
export async function renameDevice(deps: Deps, deviceId: string, name: string): Promise<DeviceRecord> {
  const device = await readDevice(deps, deviceId);
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  await deps.redis.hset(deviceKey(deviceId), 'name', name);
  return { ...device, name };
}
