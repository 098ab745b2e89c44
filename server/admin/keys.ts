import { AUTH_PREFIX } from '../redis/keys.ts';

/**
 * The keys of what the admin's sync-status page reads beyond the capabilities' own: what each
 * server instance sees of each tablet's socket, and each instance's heartbeat. In the `{auth}`
 * hash tag beside the devices they describe.
 */
export const adminKeys = {
  /** instanceId, storeId, connectionId, connectedSince, lastSeen, connected (1/0), offlineSince. */
  presence: (deviceId: string) => `${AUTH_PREFIX}presence:${deviceId}`,
  /** An admin's signed-in session, by the sha256 of its cookie; expires by itself. */
  session: (idHash: string) => `${AUTH_PREFIX}admin-session:${idHash}`,
  /** instanceId -> JSON { version, startedAt, heartbeatAt, tablets }. */
  instances: `${AUTH_PREFIX}instances`,
};

/** Audit streams keep about this many entries (prelude.lua's AUDIT_MAXLEN). */
export const AUDIT_STREAM_CAP = 200_000;
