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

/** The page's per-minute charts: one counter per metric per minute, kept two hours. */
export const METRICS = ['holds', 'bookings', 'refused', 'synced', 'tablets'] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_TTL_MS = 2 * 60 * 60_000;

export const metricKeys = {
  /** `tablets` is a gauge: a hash of instanceId -> tablets connected in that minute. */
  counter: (metric: Metric, minute: number) => `${AUTH_PREFIX}metric:${metric}:${minute}`,
  /** A tablet's last connections and disconnections, newest first (the tablet's drill-down). */
  presenceLog: (deviceId: string) => `${AUTH_PREFIX}presence-log:${deviceId}`,
};
