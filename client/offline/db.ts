import Dexie, { type EntityTable } from 'dexie';
import type { ErrorCode } from '../../shared/errors.ts';

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
  method: 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** What the person did, in their words: shown in the pending and failed lists. */
  label: string;
  /** For offline sales inside a lease: the product and units, so the lease balance can count them. */
  leaseUse?: { sku: string; quantity: number };
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: OutboxState;
  error?: { code: ErrorCode | 'NETWORK'; message: string; at: number };
}

/** A lease as the server last confirmed it. */
export interface LocalLease {
  sku: string;
  quantity: number;
  expiresAt: number;
  confirmedAt: number;
}

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

  constructor(name = 'holdfast-tablet') {
    super(name);
    this.version(1).stores({
      enrollment: 'id',
      outbox: '++seq, &key, state',
      leases: 'sku',
      sales: '++seq, sku, at',
      docUpdates: '++seq, storeId',
    });
  }
}
