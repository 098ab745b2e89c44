import type { LeaseView, StockView } from '../../shared/api/stock.ts';
import type { LocalLease, TabletDb } from './db.ts';
import { confirmLease, leasePolicyActions } from './lease-keeper.ts';
import type { NewAction } from './outbox.ts';

/** How a confirmed lease changed: who moved units, how many were taken, whether staff gave back. */
export type LeaseChange = Parameters<typeof confirmLease>[2];

/**
 * The tablet's leases on disk (what it may sell offline): confirmed by the server's answers,
 * replaced by the server's list when online, and the input of the automatic lease rule.
 */
export class LeaseBook {
  constructor(
    private readonly db: TabletDb,
    private readonly now: () => number,
  ) {}

  /** The leases on disk, by sku. */
  async read(): Promise<Record<string, LocalLease>> {
    const leases = await this.db.leases.toArray();
    return Object.fromEntries(leases.map((l) => [l.sku, l]));
  }

  /** Records what the server answered for one lease; staff's own part follows the change. */
  async confirm(server: LeaseView, change: LeaseChange): Promise<void> {
    const before = await this.db.leases.get(server.sku);
    await this.db.leases.put(confirmLease(before, server, change, this.now()));
  }

  /** The server's list is the truth: leases it no longer has go; staff's parts stay where they can. */
  async replaceFromServer(leases: readonly LeaseView[]): Promise<void> {
    await this.db.transaction('rw', this.db.leases, async () => {
      const before = new Map((await this.db.leases.toArray()).map((l) => [l.sku, l]));
      await this.db.leases.clear();
      await this.db.leases.bulkPut(
        leases.map((l) =>
          confirmLease(before.get(l.sku), l, { by: undefined, took: 0, gaveBack: false }, this.now()),
        ),
      );
    });
  }

  /** What the automatic rule wants queued now, from the accepted sales and what the store has. */
  async policyActions(
    leases: Record<string, LocalLease>,
    stock: Record<string, Pick<StockView, 'available'>>,
  ): Promise<NewAction[]> {
    const available = Object.fromEntries(Object.entries(stock).map(([sku, s]) => [sku, s.available]));
    return leasePolicyActions({ now: this.now(), sales: await this.db.sales.toArray(), leases, available });
  }
}
