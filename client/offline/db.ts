import Dexie, { type EntityTable } from 'dexie';
import type { ErrorCode } from '../../shared/errors.ts';
import type { StoreHours } from '../../shared/opening-hours.ts';
import { type Command, commandFromLegacyRequest } from './commands.ts';
import type { HoldLogRecord } from './hold-log.ts';
import type { UnsyncedEdit } from './unsynced-edits.ts';

/** The tablet's binding to its store, made once at enrollment. */
export interface Enrollment {
  id: 'self';
  deviceId: string;
  storeId: string;
  credential: string;
  deviceName: string;
  enrolledAt: number;
}

export type OutboxState = 'pending' | 'failed';

/**
 * One thing a person did, waiting to reach the server. `key` is the idempotency key made
 * when they acted (DESIGN rule 2), so sending it twice has the effect of sending it once.
 */
export interface OutboxEntry {
  seq?: number;
  key: string;
  /** What to ask the server (commands.ts maps it to a request). */
  command: Command;
  /** What the person did, in their words: shown in the pending and failed lists. */
  label: string;
  /** For offline sales inside a lease: the product and units, so the lease balance can count them. */
  leaseUse?: { sku: string; quantity: number };
  /** Who moved units onto or off this tablet: staff by hand, or the automatic lease rule. */
  leaseBy?: 'staff' | 'policy';
  /** For a sale: the units the tablet showed as available when staff sold, to explain a refusal. */
  seenAvailable?: number;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: OutboxState;
  error?: {
    code: ErrorCode | 'NETWORK';
    message: string;
    at: number;
    details?: Record<string, unknown>;
  };
}

/** A lease as the server last confirmed it. */
export interface LocalLease {
  sku: string;
  quantity: number;
  expiresAt: number;
  confirmedAt: number;
  /**
   * Units of `quantity` that staff kept by hand (issue 8.1): the automatic rule never gives
   * these back; they stay until staff give them back or the lease ends.
   */
  keptByHand?: number;
}

/**
 * Small facts that must survive a reload: when the store was last in sync, the store's name and
 * zone, and that an admin removed this tablet (issue 15 §1: it then opens on the removed screen).
 */
export type MetaRecord =
  | { key: 'sync'; lastSyncedAt: number }
  | { key: 'store'; name: string; timeZone: string; hours?: StoreHours }
  | { key: 'unsyncedEdits'; edits: UnsyncedEdit[] }
  | { key: 'removed'; at: number };

/** Units this tablet sold or wrote off, per day, to drive its lease policy. */
export interface SaleRecord {
  seq?: number;
  sku: string;
  quantity: number;
  at: number;
}

/** One Yjs update of the store document, kept so the document survives reloads offline. */
export interface DocUpdate {
  seq?: number;
  storeId: string;
  update: Uint8Array;
}

export class TabletDb extends Dexie {
  enrollment!: EntityTable<Enrollment, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  leases!: EntityTable<LocalLease, 'sku'>;
  sales!: EntityTable<SaleRecord, 'seq'>;
  docUpdates!: EntityTable<DocUpdate, 'seq'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  holdLog!: EntityTable<HoldLogRecord, 'id'>;

  constructor(name = 'holdfast-tablet') {
    super(name);
    this.version(1).stores({
      enrollment: 'id',
      outbox: '++seq, &key, state',
      leases: 'sku',
      sales: '++seq, sku, at',
      docUpdates: '++seq, storeId',
    });
    // Version 2: the outbox stores a command and its arguments instead of a method and path.
    this.version(2)
      .stores({ meta: 'key' })
      .upgrade((tx) =>
        tx
          .table('outbox')
          .toCollection()
          .modify((entry: Record<string, unknown>) => {
            if (entry.command) return;
            const command = commandFromLegacyRequest(String(entry.path), entry.body);
            if (command) entry.command = command;
            else {
              // Kept, not dropped: staff see it as failed and decide.
              entry.command = { name: 'stock.receive', args: { sku: '?', quantity: 0 } };
              entry.state = 'failed';
              entry.error = { code: 'VALIDATION_FAILED', message: 'Saved by an older app version.', at: 0 };
            }
            delete entry.method;
            delete entry.path;
            delete entry.body;
          }),
      );
    // Version 3: holds this tablet saw, for the pickup queue's "done today" list.
    this.version(3).stores({ holdLog: 'id' });
  }
}
