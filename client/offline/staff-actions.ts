import type * as Y from 'yjs';
import { newUlid } from '../../shared/ids.ts';
import { CHECKINS_MAP, type CheckinMark } from '../../shared/store-doc.ts';
import type { ActionOutcome, ActionRunner } from './action-runner.ts';
import type { HoldStepName } from './commands.ts';
import type { Enrollment } from './db.ts';
import type { StoreReadModel } from './store-read-model.ts';

export interface StaffActionsDeps {
  runner: ActionRunner;
  read: StoreReadModel;
  isOnline: () => boolean;
  now: () => number;
  enrollment: () => Enrollment | undefined;
  doc: () => Y.Doc | undefined;
}

/**
 * What staff do, as commands with their words for the pending and failed lists: online the
 * server decides (and the screen waits briefly for it); offline, sales stay inside the lease.
 */
export class StaffActions {
  constructor(private readonly deps: StaffActionsDeps) {}

  receive(sku: string, quantity: number): Promise<ActionOutcome> {
    return this.deps.runner.actAndWait({
      command: { name: 'stock.receive', args: { sku, quantity } },
      label: `Receive ${quantity} × ${sku}`,
    });
  }

  count(sku: string, counted: number, lastSeen: number, reason?: string): Promise<ActionOutcome> {
    return this.deps.runner.actAndWait({
      command: { name: 'stock.count', args: { sku, counted, lastSeen, ...(reason ? { reason } : {}) } },
      label: `Count ${sku}: ${counted} on the shelf`,
    });
  }

  /**
   * Sells or writes off. Online the server decides, and the answer is awaited briefly so the
   * screen shows what happened; offline only inside this tablet's lease (DESIGN rule 3).
   */
  async remove(
    kind: 'sale' | 'write_off',
    sku: string,
    quantity: number,
    reason?: string,
  ): Promise<ActionOutcome> {
    const { runner, read } = this.deps;
    const verb = kind === 'sale' ? 'Sell' : 'Write off';
    const reasonPart = reason ? { reason } : {};
    if (this.deps.isOnline()) {
      const seen = read.localStock(sku)?.available;
      return runner.actAndWait({
        ...(seen === undefined ? {} : { seenAvailable: seen }),
        command:
          kind === 'sale'
            ? { name: 'stock.sell', args: { sku, quantity } }
            : { name: 'stock.write-off', args: { sku, quantity, ...reasonPart } },
        label: `${verb} ${quantity} × ${sku}`,
      });
    }
    const check = read.checkSale(sku, quantity);
    if (!check.ok) return { kind: 'not-allowed', reason: check.reason, remaining: check.remaining };
    const action = { id: newUlid(), kind, quantity, at: this.deps.now(), ...reasonPart };
    await runner.act({
      command: { name: 'lease.report', args: { sku, actions: [action], returnQuantity: 0 } },
      label: `${verb} ${quantity} × ${sku} (offline, from this tablet’s allowance)`,
      leaseUse: { sku, quantity },
    });
    return { kind: 'queued', offline: true };
  }

  /** Keeps units on this tablet for offline selling, by hand: the automatic rule leaves them be. */
  keepForOffline(sku: string, quantity: number): Promise<ActionOutcome> {
    return this.deps.runner.actAndWait({
      command: { name: 'lease.take', args: { sku, quantity } },
      label: `Keep ${quantity} × ${sku} for offline selling`,
      leaseBy: 'staff',
    });
  }

  /** Gives back what this tablet keeps of a product (by hand and automatic alike). */
  async giveBack(sku: string): Promise<ActionOutcome> {
    const quantity = this.deps.read.returnable(sku);
    if (quantity === 0) return { kind: 'done' };
    return this.deps.runner.actAndWait({
      command: { name: 'lease.report', args: { sku, actions: [], returnQuantity: quantity } },
      label: `Give back ${quantity} × ${sku} kept for offline selling`,
      leaseBy: 'staff',
    });
  }

  /** A step on a pickup hold; a refusal waits on the Sync tab (the queue shows the hold's new state). */
  async holdStep(holdId: string, step: HoldStepName, label: string): Promise<void> {
    await this.deps.runner.act({ command: { name: 'hold.step', args: { holdId, step } }, label });
  }

  /**
   * Check-in, no-show and their undo (status 'booked') work offline: the mark goes into the
   * document at once, the command into the outbox.
   */
  async markBooking(bookingId: string, status: CheckinMark['status'], label: string): Promise<void> {
    const enrollment = this.deps.enrollment();
    const doc = this.deps.doc();
    if (doc && enrollment) {
      const mark: CheckinMark = { status, at: this.deps.now(), deviceId: enrollment.deviceId };
      doc.getMap<CheckinMark>(CHECKINS_MAP).set(bookingId, mark);
    }
    const step = status === 'checked_in' ? 'check-in' : status === 'no_show' ? 'no-show' : 'undo';
    await this.deps.runner.act({ command: { name: 'booking.step', args: { bookingId, step } }, label });
  }
}
