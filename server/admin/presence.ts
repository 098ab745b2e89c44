import type { Deps } from '../deps.ts';
import { scriptAt } from '../redis/lua-script.ts';
import type { SocketPresence } from '../sync/server.ts';
import { adminKeys, metricKeys } from './keys.ts';
import { recordTabletsGauge } from './metrics.ts';

const leftScript = scriptAt('presence-left', import.meta.url);

/**
 * Records in Redis what this instance sees of tablets' sockets, so any instance's admin page
 * sees every tablet: connected since when and where, last seen (each answered ping), and since
 * when offline. An instance that dies stops refreshing `lastSeen`; readers treat a tablet not
 * seen for 10 s as offline (server/admin/sync-overview.ts).
 */
export function presenceRecorder(deps: Deps, onError: (error: unknown) => void) {
  return (event: SocketPresence, instanceId: string): void => {
    const key = adminKeys.presence(event.deviceId);
    const now = deps.clock.now();
    if (event.kind !== 'seen') {
      // The tablet's drill-down lists its last 50 connections and disconnections.
      const log = metricKeys.presenceLog(event.deviceId);
      deps.redis
        .multi()
        .lpush(log, JSON.stringify({ kind: event.kind, at: now, instanceId }))
        .ltrim(log, 0, 49)
        .exec()
        .catch(onError);
    }
    const done =
      event.kind === 'connected'
        ? deps.redis
            .multi()
            .hset(key, {
              instanceId,
              storeId: event.storeId,
              connectionId: event.connectionId,
              connectedSince: now,
              lastSeen: now,
              connected: 1,
            })
            .hdel(key, 'offlineSince')
            .exec()
        : event.kind === 'seen'
          ? deps.redis.hset(key, 'lastSeen', now)
          : leftScript.run(deps.redis, [key], [event.connectionId, now]);
    Promise.resolve(done).catch(onError);
  };
}

/** This instance's heartbeat for the system-health part of the page; returns how to stop. */
export function startInstanceHeartbeat(
  deps: Deps,
  instance: { instanceId: string; version: string; tablets: () => number },
  onError: (error: unknown) => void,
): () => Promise<void> {
  const startedAt = deps.clock.now();
  const beat = () =>
    Promise.all([
      deps.redis.hset(
        adminKeys.instances,
        instance.instanceId,
        JSON.stringify({
          version: instance.version,
          startedAt,
          heartbeatAt: deps.clock.now(),
          tablets: instance.tablets(),
        }),
      ),
      recordTabletsGauge(deps, instance.instanceId, instance.tablets()),
    ]).catch(onError);
  void beat();
  const timer = setInterval(() => void beat(), 2_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await deps.redis.hdel(adminKeys.instances, instance.instanceId).catch(onError);
  };
}
