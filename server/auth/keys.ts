import { AUTH_PREFIX } from '../redis/keys.ts';

/**
 * The one place that names the auth keys in Redis, all under the `{auth}` hash tag (server/
 * redis/keys.ts): enrolling a device consumes a code and creates the device in one script.
 */
export const authKeys = {
  /** A device's record: store, secret hash, name, enrolment and revocation times. */
  device: (deviceId: string) => `${AUTH_PREFIX}device:${deviceId}`,
  /** Every enrolled device, by enrolment time. */
  devices: `${AUTH_PREFIX}devices`,
  /** A one-time enrollment code, by the sha256 of its normalized text; its value is the store id. */
  enrollmentCode: (codeHash: string) => `${AUTH_PREFIX}enroll:${codeHash}`,
  /** What a tablet last reported about itself (the admin's sync-status page). */
  deviceStatus: (deviceId: string) => `${AUTH_PREFIX}device-status:${deviceId}`,
  /** The sha256 of the admin token, set at start. */
  adminTokenHash: `${AUTH_PREFIX}admin-token-hash`,
};
