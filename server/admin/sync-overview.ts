import type {
  LateItem,
  StoreDrillDown,
  StoreSync,
  SyncOverview,
  TabletSync,
} from '../../shared/api/admin-sync.ts';
import { deviceStatusSchema } from '../../shared/api/status.ts';
import { storeVerdict, tabletVerdict } from '../../shared/sync-verdict.ts';
import { DAY_MS } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import { listStoreBookings } from '../appointments/bookings.ts';
import { listEvents } from '../appointments/events.ts';
import { eventAuditStream, storeAuditStream } from '../audit/streams.ts';
import { listDevices } from '../auth/devices.ts';
import { authKeys } from '../auth/keys.ts';
import type { Deps } from '../deps.ts';
import { readArchiveStatus } from '../ledger/archive-status.ts';
import { readLastReconciliation } from '../ledger/reconcile.ts';
import { listOpenHolds } from '../stock/holds.ts';
import { storeKeys } from '../stock/keys.ts';
import { listDeviceLeases } from '../stock/leases.ts';
import { listStores, readStore, type Store } from '../stock/stores.ts';
import { adminKeys } from './keys.ts';

/** A tablet not seen (no answered ping) for this long is offline, whatever its instance last wrote. */
export const SEEN_WITHIN_MS = 10_000;

/** Built once: zod compiles a schema on first use, and `.partial()` makes a new one each call. */
const storedReportSchema = deviceStatusSchema.partial();

function parseReport(h: Record<string, string>) {
  if (!h.reportedAt) return undefined;
  const parsed = storedReportSchema.safeParse({
    appVersion: h.appVersion,
    pending: Number(h.pending),
    failed: Number(h.failed),
    oldestPendingAgeMs: Number(h.oldestPendingAgeMs),
    lastSyncedAt: Number(h.lastSyncedAt),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    ...(h.connection ? { connection: h.connection } : {}),
    ...(h.failedActions ? { failedActions: JSON.parse(h.failedActions) as unknown } : {}),
  });
  return parsed.success ? { ...parsed.data, reportedAt: Number(h.reportedAt) } : undefined;
}

/** The tablets of the given stores (every store when none is named), as the page shows them. */
async function readTablets(deps: Deps, now: number, storeIds?: Set<string>): Promise<TabletSync[]> {
  const devices = (await listDevices(deps)).filter((d) => !storeIds || storeIds.has(d.storeId));
  return await Promise.all(
    devices.map(async (device): Promise<TabletSync> => {
      const [presence, status, leases] = await Promise.all([
        deps.redis.hgetall(adminKeys.presence(device.deviceId)),
        deps.redis.hgetall(authKeys.deviceStatus(device.deviceId)),
        // A revoked tablet's leases are its units not yet reported (issue 15 §1).
        listDeviceLeases(deps, device.storeId, device.deviceId),
      ]);
      const lastSeen = presence.lastSeen ? Number(presence.lastSeen) : undefined;
      const connected =
        device.revokedAt === undefined &&
        presence.connected === '1' &&
        lastSeen !== undefined &&
        now - lastSeen < SEEN_WITHIN_MS;
      // A tablet whose instance stopped answering is offline since it was last seen.
      const offlineSince = connected
        ? undefined
        : presence.offlineSince
          ? Number(presence.offlineSince)
          : lastSeen;
      const report = parseReport(status);
      const leasedUnits = leases.reduce((sum, l) => sum + l.quantity, 0);
      const { verdict, reasons } = tabletVerdict(
        {
          revoked: device.revokedAt !== undefined,
          connected,
          offlineSince,
          pending: report?.pending ?? 0,
          failed: report?.failed ?? 0,
          oldestPendingAgeMs: report?.oldestPendingAgeMs ?? 0,
          leasedUnits,
        },
        now,
      );
      return {
        deviceId: device.deviceId,
        name: device.name,
        storeId: device.storeId,
        verdict,
        reasons,
        connected,
        ...(presence.connectedSince && connected ? { connectedSince: Number(presence.connectedSince) } : {}),
        ...(presence.instanceId ? { instanceId: presence.instanceId } : {}),
        ...(lastSeen !== undefined ? { lastSeen } : {}),
        ...(offlineSince !== undefined ? { offlineSince } : {}),
        ...(report?.reportedAt ? { reportedAt: report.reportedAt } : {}),
        ...(report?.appVersion ? { appVersion: report.appVersion } : {}),
        ...(report?.connection ? { connection: report.connection } : {}),
        pending: report?.pending ?? 0,
        oldestPendingAgeMs: report?.oldestPendingAgeMs ?? 0,
        failed: report?.failed ?? 0,
        failedActions: report?.failedActions ?? [],
        ...(report?.lastError ? { lastError: report.lastError } : {}),
        ...(report?.lastSyncedAt ? { lastSyncedAt: report.lastSyncedAt } : {}),
        leases: leases.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          until: l.expiresAt,
          overdue: l.expiresAt < now,
        })),
      };
    }),
  );
}

/** What a store's customers wait for: holds and bookings not acknowledged in time, and shortfalls. */
async function readStoreWaiting(deps: Deps, storeId: string, now: number) {
  const [holds, bookings, shortfalls] = await Promise.all([
    listOpenHolds(deps, storeId),
    listStoreBookings(deps, storeId, now - DAY_MS, now + 7 * DAY_MS),
    deps.redis.hgetall(storeKeys(storeId).shortfalls),
  ]);
  const timeout = deps.config.storeAckTimeoutMs;
  const late = (r: { createdAt: number; acknowledgedAt?: number | undefined }) =>
    r.acknowledgedAt === undefined && r.createdAt + timeout < now;
  const items: LateItem[] = [
    ...holds
      .filter((h) => h.status !== 'held' && late(h))
      .map((h) => ({
        kind: 'hold' as const,
        id: h.id,
        customerName: h.customer.name,
        what: `${h.quantity} × ${h.sku}`,
        createdAt: h.createdAt,
      })),
    ...bookings
      .filter((b) => b.status === 'booked' && late(b))
      .map((b) => ({
        kind: 'booking' as const,
        id: b.id,
        customerName: b.customer.name,
        what: 'appointment',
        startsAt: b.startsAt,
        createdAt: b.createdAt,
      })),
  ].sort((a, b) => a.createdAt - b.createdAt);
  return {
    late: items,
    shortfalls: Object.entries(shortfalls)
      .map(([sku, units]) => ({ sku, units: Number(units) }))
      .filter((s) => s.units > 0),
  };
}

async function storesSync(deps: Deps, stores: Store[], now: number) {
  const tablets = await readTablets(deps, now, new Set(stores.map((s) => s.id)));
  return await Promise.all(
    stores.map(async (store) => {
      const waiting = await readStoreWaiting(deps, store.id, now);
      const own = tablets.filter((t) => t.storeId === store.id);
      const unacknowledged = waiting.late.length;
      const shortfalls = waiting.shortfalls.length;
      const { verdict, reasons } = storeVerdict(
        own.map((t) => t.verdict),
        { unacknowledged, shortfalls },
      );
      const sync: StoreSync = {
        storeId: store.id,
        name: store.name,
        timeZone: store.timeZone,
        verdict,
        reasons,
        unacknowledged,
        shortfalls,
        tablets: own,
      };
      return { store, sync, waiting };
    }),
  );
}

/** The sync-status page: every store and tablet with its verdict, and the system's health. */
export async function readSyncOverview(deps: Deps): Promise<SyncOverview> {
  const now = deps.clock.now();
  const [stores, events] = await Promise.all([listStores(deps), listEvents(deps)]);
  const [views, health] = await Promise.all([
    storesSync(deps, stores, now),
    readHealth(deps, [
      ...stores.map((s) => storeAuditStream(s.id)),
      ...events.map((e) => eventAuditStream(e.id)),
    ]),
  ]);
  const syncs = views.map((v) => v.sync);
  return { now, stores: syncs, health: withTabletCounts(health, syncs) };
}

/**
 * Each server's tablets counted from the same presence the stores' rows are read from (not
 * its own heartbeat, up to 2 s old and counting sockets whose tablet fell silent), so the page
 * never says "1 tablet connected" beside "No tablet connected".
 */
function withTabletCounts(health: SyncOverview['health'], stores: StoreSync[]): SyncOverview['health'] {
  const connected = stores.flatMap((s) => s.tablets).filter((t) => t.connected);
  return {
    ...health,
    instances: health.instances.map((i) => ({
      ...i,
      tablets: connected.filter((t) => t.instanceId === i.instanceId).length,
    })),
  };
}

/** One store's drill-down: its tablets, and each hold, booking and product its customers wait on. */
export async function readStoreDrillDown(deps: Deps, storeId: string): Promise<StoreDrillDown> {
  const store = await readStore(deps, storeId);
  if (!store) throw new AppError('STORE_NOT_FOUND');
  const now = deps.clock.now();
  const [view] = await storesSync(deps, [store], now);
  if (!view) throw new AppError('STORE_NOT_FOUND');
  return {
    now,
    store: view.sync,
    ...(store.phone ? { phone: store.phone } : {}),
    timeZone: store.timeZone,
    ...view.waiting,
  };
}

async function readHealth(deps: Deps, streams: string[]): Promise<SyncOverview['health']> {
  const started = performance.now();
  const pong = await deps.redis.ping();
  const roundTripMs = Math.round((performance.now() - started) * 100) / 100;
  const config = async (name: string) => ((await deps.redis.config('GET', name)) as string[])[1] ?? '';
  const [aof, appendfsync, policy, memory, clients, instances, lengths, archive, reconciliation] =
    await Promise.all([
      config('appendonly'),
      config('appendfsync'),
      config('maxmemory-policy'),
      deps.redis.info('memory'),
      deps.redis.info('clients'),
      deps.redis.hgetall(adminKeys.instances),
      Promise.all(streams.map((s) => deps.redis.xlen(s))),
      readArchiveStatus(deps),
      readLastReconciliation(deps),
    ]);
  const field = (info: string, name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0);
  return {
    redis: {
      ok: pong === 'PONG',
      aof: aof === 'yes',
      appendfsync,
      usedMemoryBytes: field(memory, 'used_memory'),
      maxMemoryBytes: field(memory, 'maxmemory'),
      evictionPolicy: policy,
      clients: field(clients, 'connected_clients'),
      roundTripMs,
    },
    instances: Object.entries(instances).map(([instanceId, json]) => ({
      instanceId,
      ...(JSON.parse(json) as { version: string; startedAt: number; heartbeatAt: number; tablets: number }),
    })),
    streams: streams.map((stream, i) => ({
      stream,
      length: lengths[i] ?? 0,
      cap: deps.config.auditKeepInRedis,
    })),
    archive,
    reconciliation,
  };
}
