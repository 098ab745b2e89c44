import { z } from 'zod';
import { STORE_VERDICTS, TABLET_VERDICTS } from '../sync-verdict.ts';
import { failedActionSchema, TABLET_CONNECTIONS } from './status.ts';

const leaseSchema = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  until: z.number(),
  /** Past its end and not yet reported by the tablet. */
  overdue: z.boolean(),
});

export const tabletSyncSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  storeId: z.string(),
  verdict: z.enum(TABLET_VERDICTS),
  reasons: z.array(z.string()),
  /** What the server sees itself. */
  connected: z.boolean(),
  connectedSince: z.number().optional(),
  instanceId: z.string().optional(),
  lastSeen: z.number().optional(),
  offlineSince: z.number().optional(),
  /** What the tablet reported, when it last did. */
  reportedAt: z.number().optional(),
  appVersion: z.string().optional(),
  connection: z.enum(TABLET_CONNECTIONS).optional(),
  pending: z.number().int(),
  oldestPendingAgeMs: z.number().int(),
  failed: z.number().int(),
  failedActions: z.array(failedActionSchema),
  lastError: z.string().optional(),
  lastSyncedAt: z.number().optional(),
  leases: z.array(leaseSchema),
});
export type TabletSync = z.infer<typeof tabletSyncSchema>;

export const storeSyncSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  /** The store's zone: its tablets' times are shown in it, labelled. */
  timeZone: z.string(),
  verdict: z.enum(STORE_VERDICTS),
  reasons: z.array(z.string()),
  /** Holds and bookings the store has not acknowledged within STORE_ACK_TIMEOUT_MS. */
  unacknowledged: z.number().int(),
  shortfalls: z.number().int(),
  tablets: z.array(tabletSyncSchema),
});
export type StoreSync = z.infer<typeof storeSyncSchema>;

export const systemHealthSchema = z.object({
  redis: z.object({
    ok: z.boolean(),
    aof: z.boolean(),
    appendfsync: z.string(),
    usedMemoryBytes: z.number(),
    maxMemoryBytes: z.number(),
    evictionPolicy: z.string(),
    clients: z.number().int(),
    roundTripMs: z.number(),
  }),
  instances: z.array(
    z.object({
      instanceId: z.string(),
      version: z.string(),
      startedAt: z.number(),
      heartbeatAt: z.number(),
      tablets: z.number(),
    }),
  ),
  streams: z.array(z.object({ stream: z.string(), length: z.number().int(), cap: z.number().int() })),
  /** The ledger (Postgres) and how far the archive is behind Redis. */
  archive: z.object({
    ledger: z.enum(['ok', 'unreachable', 'off']),
    behindEntries: z.number().int(),
    behindSeconds: z.number(),
  }),
  /** The latest reconciliation of Redis against the ledger (daily or on demand), if any ran. */
  reconciliation: z
    .object({ ranAt: z.number(), products: z.number().int(), drifted: z.array(z.string()) })
    .nullable(),
});

/** `GET /api/admin/sync-overview`: the whole sync-status page in one answer. */
export const syncOverviewSchema = z.object({
  now: z.number(),
  stores: z.array(storeSyncSchema),
  health: systemHealthSchema,
});
export type SyncOverview = z.infer<typeof syncOverviewSchema>;

const perMinute = z.array(z.number());

/** `GET /api/admin/sync/metrics`: the charts' counts per minute, oldest first. */
export const metricsSchema = z.object({
  minutes: z.array(z.number()),
  series: z.object({
    holds: perMinute,
    bookings: perMinute,
    refused: perMinute,
    synced: perMinute,
    tablets: perMinute,
  }),
});
export type Metrics = z.infer<typeof metricsSchema>;

/** `GET /api/admin/sync/tablets/:id/history`: connections and disconnections, newest first. */
export const tabletHistorySchema = z.object({
  events: z.array(
    z.object({ kind: z.enum(['connected', 'disconnected']), at: z.number(), instanceId: z.string() }),
  ),
});

/** A customer's hold or booking the store has not acknowledged within STORE_ACK_TIMEOUT_MS. */
export const lateItemSchema = z.object({
  kind: z.enum(['hold', 'booking']),
  id: z.string(),
  customerName: z.string(),
  /** "2 × KIT" for a hold; the appointment's start for a booking. */
  what: z.string(),
  startsAt: z.number().optional(),
  createdAt: z.number(),
});
export type LateItem = z.infer<typeof lateItemSchema>;

/** `GET /api/admin/sync/stores/:storeId`: one store's drill-down. */
export const storeDrillDownSchema = z.object({
  now: z.number(),
  store: storeSyncSchema,
  /** The store's phone and zone, for the page to print times and whom customers call. */
  phone: z.string().optional(),
  timeZone: z.string(),
  late: z.array(lateItemSchema),
  shortfalls: z.array(z.object({ sku: z.string(), units: z.number().int() })),
});
export type StoreDrillDown = z.infer<typeof storeDrillDownSchema>;
