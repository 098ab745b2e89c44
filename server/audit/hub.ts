import type { Redis } from 'ioredis';
import { blockingClient, isCluster, type RedisClient } from '../redis/client.ts';
import { hashTagOf } from '../redis/lua-script.ts';
import {
  type AuditEntry,
  compareStreamIds,
  firstStreamId,
  lastStreamId,
  parseAuditEntry,
  type RawStreamEntry,
  readStreamAfter,
} from './streams.ts';

/** How long one XREAD waits for news before it asks again (a new stream wakes it at once). */
const BLOCK_MS = 5_000;
/** Entries read per stream per XREAD, and per page when a subscriber catches up. */
const BATCH = 1_000;
const RETRY_AFTER_ERROR_MS = 500;
const UNBLOCK_RETRY_MS = 5;
const UNBLOCK_ATTEMPTS = 200;

export interface StreamSubscriber {
  /** New entries of the stream, oldest first; each entry is delivered once, in order. */
  onEntries(entries: AuditEntry[]): void;
  /**
   * The resume point asked for is older than what the stream still keeps (entries were
   * trimmed): the subscriber has missed something and must rebuild from the current state.
   */
  onGap?(): void;
}

export interface SubscribeOptions {
  /** Deliver the entries after this stream id (a reconnecting viewer's Last-Event-ID); default: only new ones. */
  after?: string;
}

export interface Subscription {
  /** Resolves once the stream is followed (and, with `after`, the missed entries delivered). */
  readonly ready: Promise<void>;
  unsubscribe(): void;
}

/**
 * One per server instance: reads every audit stream that anyone on this instance follows with
 * ONE blocking XREAD loop on ONE connection, and fans the entries out to its subscribers (the
 * tablets' projection, the SSE streams, the admin page). A browser never costs a Redis
 * connection. Nothing here is state another instance needs: each instance reads the streams
 * itself, so any instance serves any viewer (DESIGN "Live updates").
 *
 * On Redis Cluster one XREAD cannot span hash slots: that needs one such loop per node
 * (issue 9); the subscriber API stays the same.
 */
export interface StreamHub {
  subscribe(stream: string, subscriber: StreamSubscriber, options?: SubscribeOptions): Subscription;
  /** Streams followed and subscriptions open, for the admin page and tests. */
  stats(): { streams: number; subscriptions: number };
  close(): Promise<void>;
}

interface Subscriber {
  readonly target: StreamSubscriber;
  /** The newest id delivered (or skipped as already seen); undefined = anything new. */
  lastId: string | undefined;
  /** While catching up from `after`, live entries wait here. */
  waiting: AuditEntry[] | undefined;
  closed: boolean;
}

interface FollowedStream {
  /** The id after which the reader reads; undefined until known. */
  cursor: string | undefined;
  readonly known: Promise<void>;
  readonly subscribers: Set<Subscriber>;
}

/** One blocking reader: a connection, the XREAD loop on it, and what it is reading now. */
interface ReaderGroup {
  readonly key: string;
  readonly connection: RedisClient;
  clientId: number | undefined;
  /** The streams of the XREAD in flight, if any. */
  reading: Set<string> | undefined;
  wakeLoop: (() => void) | undefined;
  loop: Promise<void> | undefined;
}

export function createStreamHub(redis: RedisClient, onError: (error: unknown) => void): StreamHub {
  const streams = new Map<string, FollowedStream>();
  /**
   * On one Redis a single XREAD reads every stream. On a Cluster one XREAD cannot span hash
   * slots, so each hash tag gets its own reader (one stream per tag in Holdfast's layout: a
   * store's or an event's audit stream).
   */
  const grouped = isCluster(redis);
  const groupKeyOf = (stream: string) => (grouped ? hashTagOf(stream) : 'all');
  const groups = new Map<string, ReaderGroup>();
  let closed = false;

  function deliver(sub: Subscriber, entries: AuditEntry[]): void {
    if (sub.closed) return;
    if (sub.waiting) {
      sub.waiting.push(...entries);
      return;
    }
    const last = sub.lastId;
    const fresh = last === undefined ? entries : entries.filter((e) => compareStreamIds(e.id, last) > 0);
    const newest = fresh.at(-1);
    if (!newest) return;
    sub.lastId = newest.id;
    try {
      sub.target.onEntries(fresh);
    } catch (error) {
      onError(error);
    }
  }

  /** Wakes a group's reader so that a stream followed since its XREAD began is read too. */
  function wake(group: ReaderGroup): void {
    group.wakeLoop?.();
    if (!grouped) unblockReader(group, 0).catch(onError);
  }

  /**
   * CLIENT UNBLOCK travels on another connection than the XREAD it ends, so it can arrive
   * first and find nothing blocked: then it is tried again until that XREAD is ended. (On a
   * Cluster a new stream has a reader of its own, so nothing needs waking.)
   */
  async function unblockReader(group: ReaderGroup, attempt: number): Promise<void> {
    const current = group.reading;
    if (!current || closed || group.clientId === undefined) return;
    const missing = readable(group).some((name) => !current.has(name));
    if (!missing) return;
    const ended = Number(await (redis as Redis).client('UNBLOCK', group.clientId));
    if (ended === 0 && group.reading === current && attempt < UNBLOCK_ATTEMPTS) {
      setTimeout(() => unblockReader(group, attempt + 1).catch(onError), UNBLOCK_RETRY_MS);
    }
  }

  function follow(stream: string): FollowedStream {
    const existing = streams.get(stream);
    if (existing) return existing;
    let markKnown = (_id: string) => {};
    let markFailed = (_error: unknown) => {};
    const followed: FollowedStream = {
      cursor: undefined,
      subscribers: new Set(),
      known: new Promise<string>((resolve, reject) => {
        markKnown = resolve;
        markFailed = reject;
      }).then((id) => {
        followed.cursor ??= id;
      }),
    };
    // Subscribers hear of a failure through `ready`.
    followed.known.catch(() => undefined);
    // In the map before its reader starts, so a new reader finds a stream to wait for.
    streams.set(stream, followed);
    const group = groupFor(groupKeyOf(stream));
    // A concrete id, not `$`: nothing written between now and the next XREAD is missed.
    lastStreamId(redis, stream).then(
      (id) => {
        markKnown(id);
        return followed.known.then(() => wake(group));
      },
      (error: unknown) => {
        // Forget the stream, so the next subscriber tries again.
        if (streams.get(stream) === followed) streams.delete(stream);
        markFailed(error);
        group.wakeLoop?.();
      },
    );
    return followed;
  }

  function groupFor(key: string): ReaderGroup {
    const existing = groups.get(key);
    if (existing) return existing;
    const connection = blockingClient(redis, BLOCK_MS);
    connection.on('error', onError);
    const group: ReaderGroup = {
      key,
      connection,
      clientId: undefined,
      reading: undefined,
      wakeLoop: undefined,
      loop: undefined,
    };
    // The reader's id changes when it reconnects; CLIENT UNBLOCK needs the current one.
    connection.on('close', () => {
      group.clientId = undefined;
    });
    groups.set(key, group);
    group.loop = readLoop(group);
    return group;
  }

  function streamsOf(group: ReaderGroup): string[] {
    return [...streams.keys()].filter((name) => groupKeyOf(name) === group.key);
  }

  /** The group's streams to read now: those whose position is known. */
  function readable(group: ReaderGroup): string[] {
    return streamsOf(group).filter((name) => streams.get(name)?.cursor !== undefined);
  }

  async function readLoop(group: ReaderGroup): Promise<void> {
    const { connection } = group;
    while (!closed) {
      if (readable(group).length === 0) {
        // Nobody follows this group's streams any more: free its connection.
        if (streamsOf(group).length === 0) break;
        await new Promise<void>((resume) => {
          group.wakeLoop = resume;
        });
        group.wakeLoop = undefined;
        continue;
      }
      let reply: [string, RawStreamEntry[]][] | null;
      try {
        if (!grouped) group.clientId ??= Number(await (connection as Redis).client('ID'));
        // No await between choosing the streams and marking them read: a stream followed
        // after this point finds `reading` set, and wakes this XREAD.
        const names = readable(group);
        if (names.length === 0) continue;
        const cursors = names.map((name) => streams.get(name)?.cursor ?? '$');
        group.reading = new Set(names);
        reply = (await connection.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...names,
          ...cursors,
        )) as [string, RawStreamEntry[]][] | null;
      } catch (error) {
        if (closed) break;
        onError(error);
        await new Promise((resume) => setTimeout(resume, RETRY_AFTER_ERROR_MS));
        continue;
      } finally {
        group.reading = undefined;
      }
      for (const [stream, raw] of reply ?? []) {
        const followed = streams.get(stream);
        const newest = raw.at(-1);
        if (!followed || !newest) continue;
        followed.cursor = newest[0];
        const entries = raw.map((entry) => parseAuditEntry(stream, entry));
        for (const sub of followed.subscribers) deliver(sub, entries);
      }
    }
    if (groups.get(group.key) === group) groups.delete(group.key);
    connection.disconnect();
  }

  async function catchUp(stream: string, sub: Subscriber, after: string): Promise<void> {
    // The resume point itself is gone only when trimming took it, and maybe what followed it.
    const oldestKept = await firstStreamId(redis, stream);
    if (oldestKept !== undefined && compareStreamIds(after, oldestKept) < 0) sub.target.onGap?.();
    let from = after;
    for (;;) {
      const page = await readStreamAfter(redis, stream, from, BATCH);
      const newest = page.at(-1);
      if (!newest || sub.closed) break;
      from = newest.id;
      const waiting = sub.waiting;
      sub.waiting = undefined;
      deliver(sub, page);
      sub.waiting = waiting;
      if (page.length < BATCH) break;
    }
  }

  return {
    subscribe(stream, target, options = {}) {
      if (closed) throw new Error('the stream hub is closed');
      const sub: Subscriber = {
        target,
        lastId: options.after,
        waiting: options.after === undefined ? undefined : [],
        closed: false,
      };
      const followed = follow(stream);
      followed.subscribers.add(sub);
      const ready = (async () => {
        await followed.known;
        if (options.after !== undefined) {
          try {
            await catchUp(stream, sub, options.after);
          } finally {
            const waiting = sub.waiting ?? [];
            sub.waiting = undefined;
            deliver(sub, waiting);
          }
        } else {
          // Only what comes after the stream's position when the subscriber joined.
          sub.lastId ??= followed.cursor;
        }
      })();
      ready.catch(onError);
      return {
        ready,
        unsubscribe() {
          sub.closed = true;
          followed.subscribers.delete(sub);
          // The reader drops the stream at its next read; a stream is cheap to follow again.
          if (followed.subscribers.size === 0 && streams.get(stream) === followed) {
            streams.delete(stream);
            // A reader waiting for its first stream's position may now have none left: let it end.
            groups.get(groupKeyOf(stream))?.wakeLoop?.();
          }
        },
      };
    },
    stats() {
      let subscriptions = 0;
      for (const s of streams.values()) subscriptions += s.subscribers.size;
      return { streams: streams.size, subscriptions };
    },
    async close() {
      closed = true;
      streams.clear();
      const loops = [...groups.values()].map((group) => {
        group.wakeLoop?.();
        group.connection.disconnect();
        return group.loop;
      });
      await Promise.all(loops);
    },
  };
}
