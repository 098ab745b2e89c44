import * as Y from 'yjs';
import type { Peer } from './peer-host.ts';
import { encodeUpdate } from './protocol.ts';

/** Redis did not take an update: it was neither applied nor acknowledged. */
export class NotStoredError extends Error {}

export interface WriteQueueOptions {
  doc: Y.Doc;
  /** Who a stored batch is relayed to. */
  peers: Iterable<Peer>;
  isTabletOrigin(origin: unknown): boolean;
  /** The origin of updates another instance stored: relayed with a batch, never stored again. */
  instanceOrigin: unknown;
  /** Stores one update (a batch merged); resolves once Redis has it. */
  append(update: Uint8Array): Promise<void>;
  /** Redis refused an append: every write from now on is refused too. Called once. */
  onFailed(error: unknown): void;
}

interface PendingWrite {
  update: Uint8Array;
  /** The tablet that sent it (applied when its batch is stored); none for the server's own changes. */
  peer?: Peer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A change to relay once its batch is stored; `except` is the tablet it came from. */
interface Relay {
  update: Uint8Array;
  except: Peer | undefined;
  /** Made by the server while applying a tablet's update (a repair it made): stored with it. */
  byServer: boolean;
}

/**
 * The durability rule of a store document: a tablet's update is stored in Redis before it is
 * relayed to anyone (peers here, other instances) or acknowledged, so whatever any tablet has
 * seen of another's edits is stored. Updates waiting together are stored in one append, in
 * order. A tablet's update is applied to the document just before its append, and the changes
 * the server makes in reaction (observers that repair what a tablet may not write) are captured
 * and go into the same append: no other instance ever sees the tablet's change without them.
 */
export class WriteQueue {
  private queue: PendingWrite[] = [];
  private writing: Promise<void> = Promise.resolve();
  /**
   * Whether drain() runs. Not `writing !== undefined`: a drain with nothing to append (every
   * write refused after a failure) ends before `writing` is assigned, which left `writing` set
   * for good and flushed() waiting forever.
   */
  private draining = false;
  private failure: unknown;
  /** While a batch is applied: the changes it makes, relayed once it is stored. */
  private capturing: Relay[] | undefined;

  constructor(private readonly options: WriteQueueOptions) {}

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Takes a document update made while a batch is being applied (the batch's own, or a change
   * made in reaction to it); false when no batch is being applied.
   */
  capture(update: Uint8Array, origin: unknown): boolean {
    if (!this.capturing) return false;
    const fromTablet = this.options.isTabletOrigin(origin);
    this.capturing.push({
      update,
      except: fromTablet ? (origin as Peer) : undefined,
      byServer: !fromTablet && origin !== this.options.instanceOrigin,
    });
    return true;
  }

  /**
   * Queues an update: a tablet's (`peer`), applied and stored with the next batch then relayed,
   * or one the server already applied and relayed. Resolves once stored; rejects with
   * NotStoredError if Redis refused it, or with the error applying it threw.
   */
  store(update: Uint8Array, peer?: Peer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const write: PendingWrite = { update, resolve, reject };
      if (peer) write.peer = peer;
      this.queue.push(write);
      if (!this.draining) this.writing = this.drain();
    });
  }

  /** Resolves when everything queued so far is stored; rejects if Redis refused it. */
  async flushed(): Promise<void> {
    while (this.draining) await this.writing;
    if (this.failure !== undefined) throw new NotStoredError('the store document could not be stored');
  }

  /**
   * Stores what is queued, one append per batch, in order: tablets' updates as they came (so
   * one whose dependencies have not arrived is stored too), with the server's repairs they
   * caused; then relays the batch and settles its writers.
   */
  private async drain(): Promise<void> {
    // One function, so that a drain that never awaits clears the flag before it returns.
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        if (this.failure !== undefined) {
          for (const write of batch)
            write.reject(new NotStoredError('the store document could not be stored'));
          continue;
        }
        const relays: Relay[] = [];
        const failed = new Map<PendingWrite, unknown>();
        this.capturing = relays;
        try {
          for (const write of batch) {
            if (!write.peer) continue;
            try {
              Y.applyUpdate(this.options.doc, write.update, write.peer);
            } catch (error) {
              failed.set(write, error);
            }
          }
        } finally {
          this.capturing = undefined;
        }
        const parts = [
          ...batch.filter((w) => !failed.has(w)).map((w) => w.update),
          ...relays.filter((r) => r.byServer).map((r) => r.update),
        ];
        try {
          if (parts.length > 0)
            await this.options.append(parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts));
        } catch (error) {
          this.fail(error);
          for (const write of batch) write.reject(new NotStoredError(String(error)));
          continue;
        }
        this.relay(relays);
        for (const write of batch) {
          if (failed.has(write)) write.reject(failed.get(write));
          else write.resolve();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Sends a stored batch's changes as one message: its own changes are not echoed to a tablet. */
  private relay(relays: Relay[]): void {
    if (relays.length === 0) return;
    const merge = (list: Relay[]) =>
      list.length === 1 ? (list[0] as Relay).update : Y.mergeUpdates(list.map((r) => r.update));
    const everything = encodeUpdate(merge(relays));
    const senders = new Set(relays.map((r) => r.except));
    for (const peer of this.options.peers) {
      if (!senders.has(peer)) {
        peer.send(everything);
        continue;
      }
      const others = relays.filter((r) => r.except !== peer);
      if (others.length > 0) peer.send(encodeUpdate(merge(others)));
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.options.onFailed(error);
  }
}
