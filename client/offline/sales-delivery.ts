import type { OutboxEntry, TabletDb } from './db.ts';
import type { Send } from './outbox.ts';
import { type Delivery, deliverOfflineSales, isLeaseReport } from './revoked-tablet.ts';
import type { Timers } from './timers.ts';

/** Removed, how often a tablet tries again to deliver its offline sales (and at once when the network returns). */
export const DELIVERY_RETRY_MS = 15_000;

export type DeliveryState = 'sending' | (Delivery & { at: number }) | undefined;

export interface SalesDeliveryDeps {
  db: TabletDb;
  send: Send;
  now: () => number;
  timers: Timers;
  /** What the tablet knows now: removed or not, the last delivery, what waits in the outbox. */
  state: () => { revoked: boolean; delivery: DeliveryState; pending: readonly OutboxEntry[] };
  onDelivery: (delivery: DeliveryState) => void;
  /** Re-reads the outbox into what the screens show. */
  refresh: () => Promise<void>;
  /** window (or nothing in Node): its 'online' event. */
  events?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/**
 * A removed tablet's offline sales (issue 15 §1): sent with the credential that now opens only
 * the lease report, now, when the network returns, and now and then until none wait.
 */
export class SalesDelivery {
  private detach: (() => void) | undefined;

  constructor(private readonly deps: SalesDeliveryDeps) {}

  /** Sends the offline sales and write-offs made before the removal; the server takes each once. */
  async deliver(): Promise<Delivery> {
    const { db, send, now } = this.deps;
    this.deps.onDelivery('sending');
    const delivery = await deliverOfflineSales(db, send, now);
    this.deps.onDelivery({ ...delivery, at: now() });
    await this.deps.refresh();
    return delivery;
  }

  /** Delivers now, then again on the timer and when the network returns, while any wait. */
  keepDelivering(): void {
    const due = () => {
      const { revoked, delivery, pending } = this.deps.state();
      if (revoked && pending.some(isLeaseReport) && delivery !== 'sending') void this.deliver();
    };
    void this.deliver();
    this.deps.timers.every(DELIVERY_RETRY_MS, due);
    const events = this.deps.events;
    if (events) {
      events.addEventListener('online', due);
      this.detach = () => events.removeEventListener('online', due);
    }
  }

  /** Stops listening for the network (the timer stops with the session's timers). */
  stop(): void {
    this.detach?.();
    this.detach = undefined;
  }
}
