import type * as Y from 'yjs';
import type { BookingView } from '../../shared/api/bookings.ts';
import type { StaffHold } from '../../shared/api/holds.ts';
import type { StockView } from '../../shared/api/stock.ts';
import type { ScarcePlane } from '../../shared/scarce.ts';
import type { LocalLease, OutboxEntry } from './db.ts';
import {
  checkOfflineSale,
  type OfflineAllowance,
  type OfflineSaleCheck,
  offlineAllowance,
} from './lease-policy.ts';
import { type LocalStock, localStock } from './local-stock.ts';
import { readScarcePlaneOf } from './store-doc.ts';

export type { StaffHold };
export type StaffBooking = BookingView & {
  customer: { name: string; email?: string; phone?: string };
  eventName?: string;
};

/** What the read model needs of the session: its document and the tablet's own state. */
export interface ReadModelSource {
  doc(): Y.Doc | undefined;
  /** Bumped on every document change. */
  docVersion(): number;
  pending(): readonly OutboxEntry[];
  leases(): Readonly<Record<string, LocalLease>>;
  now(): number;
}

/**
 * The store as the screens read it: the server's `scarce` part of the document (stock, holds,
 * bookings) with this tablet's unsent actions and its lease on top. Reads only; no writes.
 */
export class StoreReadModel {
  private cache: { doc: Y.Doc; version: number; plane: ScarcePlane } | undefined;

  constructor(private readonly source: ReadModelSource) {}

  /**
   * The server's part of the document, parsed once per document change: a screen reads it
   * per row, and parsing 10,000 products per row made a keystroke take half a second.
   */
  private scarce(): ScarcePlane | undefined {
    const doc = this.source.doc();
    if (!doc) return undefined;
    const version = this.source.docVersion();
    if (this.cache?.doc !== doc || this.cache.version !== version)
      this.cache = { doc, version, plane: readScarcePlaneOf(doc) };
    return this.cache.plane;
  }

  stock(): Record<string, StockView> {
    return this.scarce()?.stock ?? {};
  }

  /** The server's numbers for a product with this tablet's unsent changes on top (issue 8.6). */
  localStock(sku: string): LocalStock | undefined {
    const confirmed = this.stock()[sku];
    return confirmed && localStock(confirmed, this.source.pending());
  }

  holds(): StaffHold[] {
    const holds: Record<string, StaffHold> = this.scarce()?.holds ?? {};
    return Object.values(holds).sort((a, b) => a.createdAt - b.createdAt);
  }

  bookings(): StaffBooking[] {
    return Object.values(this.scarce()?.bookings ?? {});
  }

  scarceAsOf(): number | undefined {
    return this.scarce()?.asOf;
  }

  /** Units this tablet already used offline from its lease, still waiting to be reported. */
  usedOffline(sku: string): number {
    return this.source
      .pending()
      .filter((e) => e.leaseUse?.sku === sku)
      .reduce((sum, e) => sum + (e.leaseUse?.quantity ?? 0), 0);
  }

  /** How many more units this tablet may sell offline, and until when. */
  allowance(sku: string): OfflineAllowance {
    return offlineAllowance(this.source.leases()[sku], this.usedOffline(sku), this.source.now());
  }

  checkSale(sku: string, quantity: number): OfflineSaleCheck {
    return checkOfflineSale(this.source.leases()[sku], this.usedOffline(sku), quantity, this.source.now());
  }

  /** What this tablet may still hand back of a product's lease: kept, less what it sold offline. */
  returnable(sku: string): number {
    return Math.max(0, (this.source.leases()[sku]?.quantity ?? 0) - this.usedOffline(sku));
  }
}
