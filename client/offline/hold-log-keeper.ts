import type { StaffHold } from '../../shared/api/holds.ts';
import type { TabletDb } from './db.ts';
import {
  type ClosedAs,
  closeFromAudit,
  HOLD_LOG_KEEP_MS,
  type HoldLogRecord,
  updateHoldLog,
} from './hold-log.ts';

export interface HoldLogKeeperOptions {
  now: () => number;
  /** Removed: customers' names stay erased (issue 15 §1), whatever was still on its way. */
  erased: () => boolean;
  /** The log after each change, for the screens. */
  onChange: (log: HoldLogRecord[]) => void;
}

/**
 * The holds this tablet saw, on disk (the pickup queue's "done today"): changes are applied
 * one at a time, so a late write never undoes a newer one, nor lands after an erase.
 */
export class HoldLogKeeper {
  private log: HoldLogRecord[] = [];
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: TabletDb,
    private readonly options: HoldLogKeeperOptions,
  ) {}

  /** Drops records closed longer ago than needed, then reads the log. */
  async load(): Promise<HoldLogRecord[]> {
    const now = this.options.now();
    const cutoff = now - HOLD_LOG_KEEP_MS;
    await this.db.holdLog.filter((r) => (r.closedAt ?? now) < cutoff).delete();
    return this.set(await this.db.holdLog.toArray());
  }

  /** The open holds in the document changed. */
  sawOpen(open: readonly StaffHold[]): Promise<void> {
    return this.apply((log) => updateHoldLog(log, open, this.options.now()));
  }

  /** This tablet's own step closed a hold: it knows how. */
  closed(holdId: string, closedAs: ClosedAs): Promise<void> {
    return this.apply((log) => {
      const before = log.find((r) => r.id === holdId);
      return before ? [{ ...before, closedAs, closedAt: this.options.now() }] : [];
    });
  }

  /** What the store's audit log says of holds that left the queue. */
  fromAudit(entries: readonly unknown[]): Promise<void> {
    return this.apply((log) => closeFromAudit(log, entries));
  }

  /** Resolves once every change asked for so far is on disk. */
  settled(): Promise<void> {
    return this.work;
  }

  /** After an erase: the log is empty on disk already. */
  forget(): HoldLogRecord[] {
    return this.set([]);
  }

  private apply(change: (log: HoldLogRecord[]) => HoldLogRecord[]): Promise<void> {
    this.work = this.work
      .then(async () => {
        if (this.options.erased()) return;
        const changed = change(this.log);
        if (changed.length === 0) return;
        await this.db.holdLog.bulkPut(changed);
        this.set(await this.db.holdLog.toArray());
      })
      .catch((error: unknown) => console.warn('could not update the hold log', error));
    return this.work;
  }

  private set(log: HoldLogRecord[]): HoldLogRecord[] {
    this.log = log;
    this.options.onChange(log);
    return log;
  }
}
