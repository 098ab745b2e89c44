import * as Y from 'yjs';
import type { RedisClient } from '../redis/client.ts';
import { AppliedAppends } from './applied-appends.ts';
import { Compaction } from './compaction.ts';
import { appendUpdate, loadStoredDoc } from './doc-store.ts';
import type { HostedDocument } from './hooks.ts';
import { type Peer, PeerHost } from './peer-host.ts';
import { encodeUpdate } from './protocol.ts';
import { decodeUpdate, wouldChange } from './update-check.ts';
import { NotStoredError, WriteQueue } from './write-queue.ts';

export type { Peer } from './peer-host.ts';
export { NotStoredError } from './write-queue.ts';

/** Transaction origins other than a tablet (a tablet's origin is its Peer). */
const FROM_REDIS = Symbol('loaded from Redis');
const FROM_INSTANCE = Symbol('another server instance');
const FROM_SERVER = Symbol('this server');

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
  /** The clock that times gaps in other instances' appends. */
  now?: () => number;
}

/**
 * A store's document on this instance while at least one socket has it open: a cache of what
 * Redis holds, never more than that for a tablet's edits. It composes:
 * - the peers and their awareness (peer-host.ts);
 * - the store-then-relay write queue (write-queue.ts): a tablet's update is stored in Redis
 *   before anyone sees it; the server's own changes (derived from Redis and rebuilt if lost)
 *   are relayed at once and stored right after;
 * - the appends of other instances, numbered through pub/sub (applied-appends.ts): a gap in
 *   the numbers, or a stale counter, makes the document reload from Redis (Yjs ignores what it
 *   already has);
 * - compaction (compaction.ts): the stored document stays under about twice its snapshot
 *   plus compactAfterBytes; the snapshot is the live content plus what Yjs keeps of deleted
 *   items, 10-20 bytes per overwritten field.
 * It is loaded from Redis (snapshot + log) before any peer joins, so nobody is answered from
 * an empty document. (A peer joining while a tablet's batch is being stored may get it in its
 * first sync before it is stored; if Redis then refuses it, the document is dropped and
 * reloaded, and the tablets that hold it send it again.)
 */
export class LiveDocument implements HostedDocument {
  readonly doc = new Y.Doc();
  readonly serverOrigin: unknown = FROM_SERVER;
  private readonly host: PeerHost;
  private readonly writes: WriteQueue;
  private readonly applied: AppliedAppends;
  private readonly compaction: Compaction;
  private isLoaded = false;
  /** Other instances' updates that arrived while loading. */
  private early: { seq: number; update: Uint8Array }[] | undefined = [];
  private catchingUp: Promise<void> | undefined;

  constructor(private readonly options: LiveDocumentOptions) {
    this.host = new PeerHost(this.doc, options.publishAwareness, FROM_INSTANCE);
    this.applied = new AppliedAppends(options.now);
    this.compaction = new Compaction(options);
    this.writes = new WriteQueue({
      doc: this.doc,
      peers: this.host.peers,
      isTabletOrigin: (origin) => this.host.isTabletOrigin(origin),
      instanceOrigin: FROM_INSTANCE,
      append: (update) => this.append(update),
      onFailed: (error) => {
        options.onError(error);
        options.onFailed(error);
      },
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
  }

  get storeId(): string {
    return this.options.storeId;
  }

  get peers(): ReadonlySet<Peer> {
    return this.host.peers;
  }

  get failed(): boolean {
    return this.writes.failed;
  }

  get loaded(): boolean {
    return this.isLoaded;
  }

  isTabletOrigin(origin: unknown): boolean {
    return this.host.isTabletOrigin(origin);
  }

  /** Reads the stored document; call once, before any peer joins. */
  async load(): Promise<void> {
    const stored = await loadStoredDoc(this.options.redis, this.storeId);
    this.applyStored(stored.updates, FROM_REDIS);
    this.applied.reset(stored.seq);
    this.isLoaded = true;
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
    return this.applied.hasGapOlderThan(ms);
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
    this.host.join(peer);
  }

  leave(peer: Peer): void {
    this.host.leave(peer);
  }

  /** The answer to a peer's sync step 1: everything it lacks. */
  answerStep1(peerStateVector: Uint8Array): Uint8Array {
    return this.host.answerStep1(peerStateVector);
  }

  /** Every awareness state known here, as one message. */
  awarenessMessage(): Uint8Array {
    return this.host.awarenessMessage();
  }

  applyAwareness(update: Uint8Array, peer: Peer): void {
    this.host.applyAwareness(update, peer);
  }

  applyAwarenessFromInstance(update: Uint8Array): void {
    this.host.applyAwarenessFromInstance(update);
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
    if (this.writes.failed) throw new NotStoredError('the store document is closing');
    if (!wouldChange(this.doc, decoded)) return;
    await this.writes.store(update, peer);
  }

  /** Makes a server change to the document (e.g. catalog seeding); resolves once stored. */
  async change(fn: (doc: Y.Doc) => void): Promise<void> {
    this.doc.transact(() => fn(this.doc), FROM_SERVER);
    await this.flushed();
  }

  /** Resolves when everything changed so far is stored; rejects if Redis refused it. */
  flushed(): Promise<void> {
    return this.writes.flushed();
  }

  /** Waits for what is under way (writes, a compaction, a reload), then frees the document. */
  async close(): Promise<void> {
    try {
      await this.flushed();
    } finally {
      await this.compaction.settled();
      await this.catchingUp;
      this.host.destroy();
      this.doc.destroy();
    }
  }

  private async append(update: Uint8Array): Promise<void> {
    const { redis, instanceId } = this.options;
    const appended = await appendUpdate(redis, this.storeId, update, instanceId);
    this.applied.mark(appended.seq);
    if (this.compaction.isDue(appended)) void this.compaction.run(this.doc, () => this.applied.through);
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
    if (this.writes.capture(update, origin)) return;
    this.host.broadcast(encodeUpdate(update));
    // Another instance stored it; the server's own changes (derived from Redis) are stored now.
    if (origin === FROM_INSTANCE) return;
    // A refusal is reported once by the queue, which closes the peers; flushed() rethrows it to writers.
    this.writes.store(update).catch((error: unknown) => {
      if (!(error instanceof NotStoredError)) this.options.onError(error);
    });
  }
}
