import type { Drift, LedgerEntryRef, StockNumbers } from '../../shared/api/reconciliation.ts';
import { type AuditEvent, stockAfterSchema, typeNameOf } from '../../shared/audit-events.ts';

/** A product's numbers replayed from its entries, and where the replay and the entries parted. */
export interface ProductReplay {
  numbers: StockNumbers;
  /** The last entry whose recorded numbers matched the replay, before any that did not. */
  lastAgreed: LedgerEntryRef | undefined;
  firstDisagreeing: (LedgerEntryRef & { recorded: StockNumbers }) | undefined;
}

const zero = (): StockNumbers => ({ onHand: 0, held: 0, leased: 0 });
const same = (a: StockNumbers, b: StockNumbers) =>
  a.onHand === b.onHand && a.held === b.held && a.leased === b.leased;
/** Units leave the shelf down to 0 and no further (hold-step.lua, report-lease.lua). */
const takeFromShelf = (n: StockNumbers, qty: number) => {
  n.onHand -= Math.max(0, Math.min(n.onHand, qty));
};

/**
 * Replays one store's entries, oldest first, into each product's on hand, held and leased,
 * from the changes the entries describe (a delta, a quantity, a step), the way the Lua scripts
 * made them. Where an entry also recorded the numbers after it (stockAfter, version 2), they
 * are compared with the replay: the first that differs shows a change made behind the
 * scripts' back just before it. Entries of version 1 carry no numbers after: their changes are
 * computed from deltas alone.
 */
export class StoreReplay {
  readonly products = new Map<string, ProductReplay>();
  entries = 0;

  constructor(readonly storeId: string) {}

  private product(sku: string): ProductReplay {
    let p = this.products.get(sku);
    if (!p) {
      p = { numbers: zero(), lastAgreed: undefined, firstDisagreeing: undefined };
      this.products.set(sku, p);
    }
    return p;
  }

  private check(p: ProductReplay, ref: LedgerEntryRef, recorded: StockNumbers | undefined): void {
    if (p.firstDisagreeing) return;
    if (recorded === undefined || same(recorded, p.numbers)) {
      p.lastAgreed = ref;
      return;
    }
    p.firstDisagreeing = { ...ref, recorded };
  }

  apply(event: AuditEvent): void {
    this.entries += 1;
    const ref: LedgerEntryRef = {
      stream: event.stream,
      entryId: event.id,
      type: typeNameOf(event),
      at: event.at,
    };
    const data = event.data as Record<string, unknown>;
    const after = stockAfterSchema.safeParse(data.stockAfter);
    const recorded = after.success ? after.data : undefined;
    if (event.type === 'catalog.imported') {
      // An import sets on hand; held and leased stay as they were.
      for (const item of event.data.products ?? []) {
        const p = this.product(item.sku);
        p.numbers.onHand = item.onHand;
        this.check(p, ref, { onHand: item.onHand, held: item.held, leased: item.leased });
      }
      return;
    }
    const sku = typeof data.sku === 'string' ? data.sku : undefined;
    if (sku === undefined) return;
    const p = this.product(sku);
    const n = p.numbers;
    const qty = typeof data.quantity === 'number' ? data.quantity : 0;
    switch (event.type) {
      case 'stock.receive':
      case 'stock.count':
      case 'stock.sale':
      case 'stock.write_off':
        n.onHand += event.data.delta;
        break;
      case 'hold.created':
        n.held += qty;
        break;
      case 'hold.expired':
        n.held -= qty;
        break;
      case 'hold.confirm':
      case 'hold.cancel':
      case 'hold.ack':
      case 'hold.accept':
      case 'hold.pick':
      case 'hold.hand_over':
        if (event.data.statusAfter === event.data.statusBefore) break;
        if (event.data.statusAfter === 'fulfilled') {
          n.held -= qty;
          takeFromShelf(n, qty);
        } else if (event.data.statusAfter === 'cancelled') {
          n.held -= qty;
        }
        break;
      case 'lease.taken':
        n.leased += qty;
        break;
      case 'lease.sale':
      case 'lease.write_off':
        n.leased -= event.data.fromLease;
        takeFromShelf(n, qty);
        break;
      case 'lease.returned':
      case 'lease.revoked':
      case 'lease.expired':
        n.leased -= qty;
        break;
      case 'lease.settled':
        // A revoked tablet's units: back on the shelf, or written off with the tablet.
        n.leased -= qty;
        if (data.decision === 'write_off') takeFromShelf(n, qty);
        break;
      case 'stock.shortfall':
        // Written inside a step before the step's own entry, with the numbers after the whole
        // step: it moves nothing and is not compared.
        return;
      default:
        // An entry that moves units in a way not replayed here: its recorded numbers are
        // taken as they are.
        if (recorded) p.numbers = { ...recorded };
        p.lastAgreed = p.firstDisagreeing ? p.lastAgreed : ref;
        return;
    }
    this.check(p, ref, recorded);
  }

  /** The products whose Redis numbers differ from the replay. */
  driftAgainst(redis: Map<string, StockNumbers>): Drift[] {
    const skus = new Set([...redis.keys(), ...this.products.keys()]);
    const drift: Drift[] = [];
    for (const sku of [...skus].sort()) {
      const inRedis = redis.get(sku) ?? zero();
      const p = this.products.get(sku);
      const ledger = p?.numbers ?? zero();
      if (same(inRedis, ledger)) continue;
      drift.push({
        storeId: this.storeId,
        sku,
        redis: inRedis,
        ledger: { ...ledger },
        disagreeAfter: p?.lastAgreed ?? null,
        ...(p?.firstDisagreeing ? { firstDisagreeing: p.firstDisagreeing } : {}),
      });
    }
    return drift;
  }
}
