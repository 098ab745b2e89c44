import type { StaffHold } from '../../shared/api/holds.ts';
import type { LeaseView } from '../../shared/api/stock.ts';
import type { OutboxEntry, SaleRecord, TabletDb } from './db.ts';
import type { HoldLogKeeper } from './hold-log-keeper.ts';
import type { LeaseBook, LeaseChange } from './lease-book.ts';

/** What the tablet learns once the server accepted an action. */
export interface SentEffects {
  /** A hold this tablet handed over or cancelled: the hold log knows how it ended. */
  closedHold?: { id: string; closedAs: 'fulfilled' | 'cancelled' };
  /** Units sold: only what the server accepted is demand for the lease rule (issue 8.3). */
  sale?: SaleRecord;
  /** The lease as the server now has it, and how this action changed it. */
  lease?: { server: LeaseView; change: LeaseChange };
}

/** Reads an accepted action and the server's answer into what must be recorded. */
export function sentEffects(entry: OutboxEntry, body: unknown): SentEffects {
  const { command } = entry;
  const effects: SentEffects = {};
  if (command.name === 'hold.step') {
    const hold = body as StaffHold | undefined;
    if (hold?.status === 'fulfilled' || hold?.status === 'cancelled')
      effects.closedHold = { id: hold.id, closedAs: hold.status };
  }
  if (command.name === 'stock.sell' || command.name === 'lease.report') {
    const sold =
      command.name === 'stock.sell'
        ? command.args.quantity
        : command.args.actions.filter((a) => a.kind === 'sale').reduce((sum, a) => sum + a.quantity, 0);
    if (sold > 0) effects.sale = { sku: command.args.sku, quantity: sold, at: entry.createdAt };
  }
  const lease = (body as { lease?: LeaseView } | undefined)?.lease;
  if (lease && typeof lease.quantity === 'number') {
    effects.lease = {
      server: lease,
      change: {
        by: entry.leaseBy,
        took: command.name === 'lease.take' ? command.args.quantity : 0,
        gaveBack: command.name === 'lease.report' && command.args.returnQuantity > 0,
      },
    };
  }
  return effects;
}

/** Where the effects are recorded: the hold log, the sales on disk, the lease book. */
export interface SentEffectsTarget {
  holdLog: Pick<HoldLogKeeper, 'closed'>;
  db: TabletDb;
  leaseBook: Pick<LeaseBook, 'confirm'>;
}

/** Records what an accepted action means; answers whether a lease changed. */
export async function recordSentEffects(
  target: SentEffectsTarget,
  entry: OutboxEntry,
  body: unknown,
): Promise<{ leaseChanged: boolean }> {
  const { closedHold, sale, lease } = sentEffects(entry, body);
  if (closedHold) await target.holdLog.closed(closedHold.id, closedHold.closedAs);
  if (sale) await target.db.sales.add(sale);
  if (lease) await target.leaseBook.confirm(lease.server, lease.change);
  return { leaseChanged: lease !== undefined };
}
