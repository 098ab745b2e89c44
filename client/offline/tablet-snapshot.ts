import type { Enrollment, LocalLease, OutboxEntry, TabletDb } from './db.ts';
import type { HoldLogRecord } from './hold-log.ts';
import type { DeliveryState } from './sales-delivery.ts';
import type { StoreInfo } from './staff-api.ts';
import type { StatusInput } from './status-reporter.ts';
import type { ConnectionState } from './store-connection.ts';
import type { UnsyncedEdit } from './unsynced-edits.ts';

export type SyncState = ConnectionState;

/** What the screens read of the tablet (useSyncExternalStore): a new object on every change. */
export interface TabletSnapshot {
  enrollment: Enrollment | undefined;
  sync: SyncState;
  /** When the store's document was last in sync with the server; survives reloads. */
  lastSyncedAt: number | undefined;
  pending: OutboxEntry[];
  /** Product details edited while not in sync: they wait to sync too (issue 15 §7). */
  unsyncedEdits: UnsyncedEdit[];
  failed: OutboxEntry[];
  leases: Record<string, LocalLease>;
  store: StoreInfo | undefined;
  /** Holds this tablet saw, open and closed (the pickup queue's "done today"). */
  holdLog: HoldLogRecord[];
  /** Bumped on every document change, so views re-read the document. */
  docVersion: number;
  revoked: boolean;
  /** Once removed: sending its offline sales with the report-only credential, or what that did. */
  delivery: DeliveryState;
}

/** Before anything is read from disk. */
export const EMPTY_SNAPSHOT: TabletSnapshot = {
  enrollment: undefined,
  sync: 'offline',
  lastSyncedAt: undefined,
  pending: [],
  unsyncedEdits: [],
  failed: [],
  leases: {},
  store: undefined,
  holdLog: [],
  docVersion: 0,
  revoked: false,
  delivery: undefined,
};

/** What a reload finds on disk: the enrollment, the last sync, the store; and whether it was removed. */
export async function readSavedState(
  db: TabletDb,
): Promise<{ saved: Pick<TabletSnapshot, 'enrollment' | 'lastSyncedAt' | 'store'>; removed: boolean }> {
  const [enrollment, sync, store, removed] = await Promise.all([
    db.enrollment.get('self'),
    db.meta.get('sync'),
    db.meta.get('store'),
    db.meta.get('removed'),
  ]);
  return {
    saved: {
      enrollment,
      lastSyncedAt: sync?.key === 'sync' ? sync.lastSyncedAt : undefined,
      store:
        store?.key === 'store'
          ? { name: store.name, timeZone: store.timeZone, ...(store.hours ? { hours: store.hours } : {}) }
          : undefined,
    },
    removed: removed !== undefined,
  };
}

/** What the status report reads of the snapshot (status-reporter.ts); nothing before enrollment. */
export function statusInputOf(snapshot: TabletSnapshot, appVersion: string): StatusInput | undefined {
  if (!snapshot.enrollment) return undefined;
  const { pending, failed, lastSyncedAt, sync } = snapshot;
  return { appVersion, pending, failed, lastSyncedAt, connection: sync };
}
