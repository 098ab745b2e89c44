import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RedisClient } from '../redis/client.ts';
import {
  type Appended,
  appendUpdate,
  claimCompaction,
  compactStoredDoc,
  loadStoredDoc,
  releaseCompaction,
} from './doc-store.ts';
import {
  encodeAwareness,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol.ts';
import { ServerView, type ServerViewWriter } from './server-view.ts';
import { decodeUpdate, wouldChange } from './update-check.ts';

/** Transaction origins other than a tablet (a tablet's origin is its Peer). */
const FROM_REDIS = Symbol('loaded from Redis');
const FROM_INSTANCE = Symbol('another server instance');
const FROM_SERVER = Symbol('this server');

/** How long a compaction may hold its lock before another instance may try. */
const COMPACT_LOCK_MS = 30_000;

/** One socket's side of a live document. */
export interface Peer {
  readonly readOnly: boolean;
  /** Awareness client ids this socket announced; removed when it leaves. */
  readonly awarenessIds: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Redis did not take an update: it was neither applied nor acknowledged. */
export class NotStoredError extends Error {}

/** A tablet sent bytes that are not a Yjs update. */
export class InvalidUpdateError extends Error {}

export interface LiveDocumentOptions {
  storeId: string;
  redis: RedisClient;
  instanceId: string;
  onError: (error: unknown) => void;
  /** Compact once the log has this many entries... */
  compactAfterEntries: number;
  /** ...or this many bytes (or more bytes than the snapshot, whichever is larger). */
  compactAfterBytes: number;
  /** Sends an awareness change made here to the other instances. */
  publishAwareness: (update: Uint8Array) => void;
  /** Redis refused an update: the document must be dropped (its peers are being closed). */
  onFailed: (error: unknown) => void;
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
  /** Made by the server while applying a tablet's update (a repair of `scarce`): stored with it. */
  byServer: boolean;
}

/**
 * A store's document on this instance while at least one socket has it open: a cache of what
 * Redis holds, never more than that for a tablet's edits.
 *
 * - Loaded from Redis (snapshot + log) before any peer joins, so nobody is answered from an
 *   empty document.
 * - A tablet's update is stored in Redis before it is relayed to anyone (peers here, other
 *   instances) or acknowledged; so whatever any other tablet has seen of a tablet's edits is
 *   stored. It is applied to this copy just before the append, so that the server's repair of
 *   a write to `scarce` goes into the same append: no other instance ever sees the tablet's
 *   entry without its removal. (A peer joining in that moment may get it in its first sync
 *   before it is stored; if Redis then refuses it, the document is dropped and reloaded, and
 *   the tablets that hold it send it again.) Updates waiting together are stored in one append.
 * - The server's own changes (the `scarce` view, its repairs, catalog seeding) are relayed at
 *   once and stored right after: they are derived from Redis and rebuilt if lost.
 * - Other instances' updates arrive numbered through pub/sub; a gap in the numbers, or a stale
 *   counter, makes the document reload from Redis (Yjs ignores what it already has).
 *
 * Stored size: an append that takes the log to compactAfterEntries entries, or past
 * max(compactAfterBytes, the snapshot's size) bytes, folds the log into the snapshot. So the
 * stored document stays under about twice its snapshot plus compactAfterBytes, and the snapshot
 * is the live content plus what Yjs keeps of deleted items: 10-20 bytes per overwritten
 * product field (staff edits, at human pace) and, for `scarce`, ranges that merge as entries
 * are replaced (server-view.ts), so the server rewriting numbers all day does not grow it.
 */
export class LiveDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<Peer>();
  private serverView: ServerView | undefined;
  private readonly everJoined = new WeakSet<object>();
  private readonly applied = new AppliedAppends();
  /** Other instances' updates that arrived while loading. */
  private early: { seq: number; update: Uint8Array }[] | undefined = [];
  private queue: PendingWrite[] = [];
  private writing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private catchingUp: Promise<void> | undefined;
  private failure: unknown;
  /** While a batch is applied: the changes it makes, relayed once it is stored. */
  private capturing: Relay[] | undefined;

  constructor(private readonly options: LiveDocumentOptions) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
      this.onAwarenessUpdate(changes, origin),
    );
  }

  get storeId(): string {
    return this.options.storeId;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  get loaded(): boolean {
    return this.serverView !== undefined;
  }

  /** The server-owned `scarce` part (after `load`). */
  get view(): ServerView {
    if (!this.serverView) throw new Error('the store document is not loaded yet');
    return this.serverView;
  }

  /** Whether a transaction origin is a tablet's socket (rather than the server or Redis). */
  isTabletOrigin(origin: unknown): boolean {
    return typeof origin === 'object' && origin !== null && this.everJoined.has(origin);
  }

  /** Reads the stored document; call once, before any peer joins. */
  async load(): Promise<void> {
    const stored = await loadStoredDoc(this.options.redis, this.storeId);
    this.applyStored(stored.updates, FROM_REDIS);
    this.applied.reset(stored.seq);
    this.serverView = new ServerView(this.doc, FROM_SERVER, (origin) => this.isTabletOrigin(origin));
    const early = this.early ?? [];
    this.early = undefined;
    for (const { seq, update } of early) this.receiveFromInstance(seq, update);
  }

  /** An update another instance stored as append number `seq`. */
  receiveFromInstance(seq: number, update: Uint8Array): void {
    if (this.early) {
      this.early.push({ seq, update });
      return;
    }
    if (seq <= this.applied.through) return;
    try {
      Y.applyUpdate(this.doc, update, FROM_INSTANCE);
    } catch (error) {
      this.options.onError(error);
      void this.catchUp();
      return;
    }
    this.applied.mark(seq);
  }

  /** Whether appends are missing for longer than `ms` (a pub/sub message was lost). */
  hasGapOlderThan(ms: number): boolean {
    return this.applied.gapSince !== undefined && Date.now() - this.applied.gapSince > ms;
  }

  /** The number of the last append this document is known to hold every one up to. */
  get appliedThrough(): number {
    return this.applied.through;
  }

  /** Reloads from Redis whatever this copy missed; what it has already is skipped by Yjs. */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        const stored = await loadStoredDoc(this.options.redis, this.storeId);
        this.applyStored(stored.updates, FROM_INSTANCE);
        this.applied.reset(stored.seq);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.catchingUp = undefined;
      }
    })();
    return this.catchingUp;
  }

  /** Adds a socket and opens the sync: the server's state vector, and who else is here. */
  join(peer: Peer): void {
    this.everJoined.add(peer);
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) peer.send(encodeAwareness(this.awareness, present));
  }

  leave(peer: Peer): void {
    this.peers.delete(peer);
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], peer);
  }

  /** The answer to a peer's sync step 1: everything it lacks. */
  answerStep1(peerStateVector: Uint8Array): Uint8Array {
    return encodeSyncStep2(this.doc, peerStateVector);
  }

  /** Every awareness state known here, as one message. */
  awarenessMessage(): Uint8Array {
    return encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]);
  }

  applyAwareness(update: Uint8Array, peer: Peer): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  applyAwarenessFromInstance(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, FROM_INSTANCE);
  }

  /**
   * Applies and stores a tablet's update, then relays it to the other peers. Resolves once it is
   * stored, or at once when it holds nothing new; rejects with NotStoredError if Redis did not
   * take it, InvalidUpdateError if it is not a Yjs update.
   */
  async applyFromTablet(peer: Peer, update: Uint8Array): Promise<void> {
    let decoded: ReturnType<typeof decodeUpdate>;
    try {
      decoded = decodeUpdate(update);
    } catch (error) {
      throw new InvalidUpdateError(`not a Yjs update: ${(error as Error).message}`);
    }
    if (this.failure !== undefined) throw new NotStoredError('the store document is closing');
    if (!wouldChange(this.doc, decoded)) return;
    await this.store(update, peer);
  }

  /** Changes the server-owned `scarce` part; resolves once stored, with whether anything changed. */
  async writeView(fn: (writer: ServerViewWriter) => void): Promise<boolean> {
    const changed = this.view.write(fn);
    if (changed) await this.flushed();
    return changed;
  }

  /** Makes a server change to the document (e.g. catalog seeding); resolves once stored. */
  async change(fn: (doc: Y.Doc) => void): Promise<void> {
    this.doc.transact(() => fn(this.doc), FROM_SERVER);
    await this.flushed();
  }

  /** Resolves when everything changed so far is stored; rejects if Redis refused it. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure !== undefined) throw new NotStoredError('the store document could not be stored');
  }

  /** Waits for what is under way (writes, a compaction, a reload), then frees the document. */
  async close(): Promise<void> {
    try {
      await this.flushed();
    } finally {
      await this.compacting;
      await this.catchingUp;
      this.awareness.destroy();
      this.doc.destroy();
    }
  }

  private applyStored(updates: Uint8Array[], origin: symbol): void {
    this.doc.transact(() => {
      for (const [index, update] of updates.entries()) {
        try {
          Y.applyUpdate(this.doc, update, origin);
        } catch (error) {
          // One unreadable entry must not lock the store out of its document.
          this.options.onError(new Error(`store ${this.storeId}: skipped stored update #${index}: ${error}`));
        }
      }
    }, origin);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === FROM_REDIS) return;
    const fromTablet = this.isTabletOrigin(origin);
    if (this.capturing) {
      this.capturing.push({
        update,
        except: fromTablet ? (origin as Peer) : undefined,
        byServer: !fromTablet && origin !== FROM_INSTANCE,
      });
      return;
    }
    this.broadcast(encodeUpdate(update), undefined);
    // Another instance stored it; the server's own changes (derived from Redis) are stored now.
    if (origin === FROM_INSTANCE) return;
    // A refusal is reported once by drain(), which closes the peers; flushed() rethrows it to writers.
    this.store(update).catch((error: unknown) => {
      if (!(error instanceof NotStoredError)) this.options.onError(error);
    });
  }

  private store(update: Uint8Array, peer?: Peer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const write: PendingWrite = { update, resolve, reject };
      if (peer) write.peer = peer;
      this.queue.push(write);
      this.writing ??= this.drain();
    });
  }

  /**
   * Stores what is queued, one append per batch, in order: tablets' updates as they came (so
   * one whose dependencies have not arrived is stored too), with the server's repairs they
   * caused; then relays the batch and settles its writers.
   */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      if (this.failure !== undefined) {
        for (const write of batch) write.reject(new NotStoredError('the store document could not be stored'));
        continue;
      }
      const relays: Relay[] = [];
      const failed = new Map<PendingWrite, unknown>();
      this.capturing = relays;
      try {
        for (const write of batch) {
          if (!write.peer) continue;
          try {
            Y.applyUpdate(this.doc, write.update, write.peer);
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
        if (parts.length > 0) {
          const update = parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts);
          const appended = await appendUpdate(
            this.options.redis,
            this.storeId,
            update,
            this.options.instanceId,
          );
          this.applied.mark(appended.seq);
          if (this.shouldCompact(appended)) void this.compact();
        }
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
    this.writing = undefined;
  }

  /** Sends a stored batch's changes as one message: its own changes are not echoed to a tablet. */
  private relay(relays: Relay[]): void {
    if (relays.length === 0) return;
    const merge = (list: Relay[]) =>
      list.length === 1 ? (list[0] as Relay).update : Y.mergeUpdates(list.map((r) => r.update));
    const everything = encodeUpdate(merge(relays));
    const senders = new Set(relays.map((r) => r.except));
    for (const peer of this.peers) {
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
    this.options.onError(error);
    this.options.onFailed(error);
  }

  private shouldCompact({ logLength, logBytes, snapshotBytes }: Appended): boolean {
    const { compactAfterEntries, compactAfterBytes } = this.options;
    return logLength >= compactAfterEntries || logBytes >= Math.max(compactAfterBytes, snapshotBytes);
  }

  /**
   * Folds the log into a snapshot made from this copy, which holds every append up to
   * `applied.through` (and perhaps more: stored twice is harmless). Pending structs (an update
   * whose dependencies have not arrived) go in too, or compaction would drop them.
   */
  private compact(): Promise<void> {
    this.compacting ??= (async () => {
      const { redis, onError } = this.options;
      try {
        if (!(await claimCompaction(redis, this.storeId, COMPACT_LOCK_MS))) return;
        try {
          const through = this.applied.through;
          const parts = [Y.encodeStateAsUpdate(this.doc)];
          const { pendingStructs, pendingDs } = this.doc.store;
          if (pendingStructs) parts.push(pendingStructs.update);
          if (pendingDs) parts.push(pendingDs);
          const snapshot = parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts);
          await compactStoredDoc(redis, this.storeId, through, snapshot);
        } finally {
          await releaseCompaction(redis, this.storeId);
        }
      } catch (error) {
        onError(error);
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  private onAwarenessUpdate({ added, updated, removed }: AwarenessChanges, origin: unknown): void {
    const fromTablet = this.isTabletOrigin(origin);
    if (fromTablet) {
      const peer = origin as Peer;
      for (const id of added) peer.awarenessIds.add(id);
      for (const id of removed) peer.awarenessIds.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
      ...added,
      ...updated,
      ...removed,
    ]);
    // To every peer, the sender too: the stock client closes a socket that has been silent for
    // 30 s, and the echo of its own awareness renewal (every 15 s) is what keeps it open.
    this.broadcast(encodeAwarenessUpdate(update), undefined);
    if (fromTablet) this.options.publishAwareness(update);
  }

  private broadcast(message: Uint8Array, except: Peer | undefined): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message);
  }
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Which appends this copy holds: all up to `through`, and some beyond it. */
class AppliedAppends {
  through = 0;
  /** Since when appends beyond `through` are held while one before them is not. */
  gapSince: number | undefined;
  private readonly beyond = new Set<number>();

  /** This copy now holds every append up to `seq` (it was just loaded from Redis). */
  reset(seq: number): void {
    this.through = Math.max(this.through, seq);
    for (const s of this.beyond) if (s <= this.through) this.beyond.delete(s);
    this.advance();
  }

  mark(seq: number): void {
    if (seq <= this.through) return;
    this.beyond.add(seq);
    this.advance();
  }

  private advance(): void {
    while (this.beyond.delete(this.through + 1)) this.through += 1;
    if (this.beyond.size === 0) this.gapSince = undefined;
    else this.gapSince ??= Date.now();
  }
}
