import type { Enrollment, LocalLease, OutboxEntry } from './db.ts';
import type { HoldLogRecord } from './hold-log.ts';
import type { DeliveryState } from './sales-delivery.ts';
import type { StoreInfo } from './staff-api.ts';
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
