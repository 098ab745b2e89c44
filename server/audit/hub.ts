import type { Redis } from 'ioredis';
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

export function createStreamHub(redis: Redis, onError: (error: unknown) => void): StreamHub {
  const streams = new Map<string, FollowedStream>();
  let reader: Redis | undefined;
  let readerClientId: number | undefined;
  /** The streams of the XREAD in flight, if any. */
  let reading: Set<string> | undefined;
  let closed = false;
  let wakeLoop: (() => void) | undefined;
  let loop: Promise<void> | undefined;

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

  /** Wakes the reader so that a stream followed since its XREAD began is read too. */
  function wake(): void {
    wakeLoop?.();
    unblockReader(0).catch(onError);
  }

  /**
   * CLIENT UNBLOCK travels on another connection than the XREAD it ends, so it can arrive
   * first and find nothing blocked: then it is tried again until that XREAD is ended.
   */
  async function unblockReader(attempt: number): Promise<void> {
    const current = reading;
    if (!current || closed || readerClientId === undefined) return;
    const missing = [...streams].some(([name, s]) => s.cursor !== undefined && !current.has(name));
    if (!missing) return;
    const ended = Number(await redis.client('UNBLOCK', readerClientId));
    if (ended === 0 && reading === current && attempt < UNBLOCK_ATTEMPTS) {
      setTimeout(() => unblockReader(attempt + 1).catch(onError), UNBLOCK_RETRY_MS);
    }
  }

  function follow(stream: string): FollowedStream {
    const existing = streams.get(stream);
    if (existing) return existing;
    const followed: FollowedStream = {
      cursor: undefined,
      subscribers: new Set(),
      // A concrete id, not `$`: nothing written between now and the next XREAD is missed.
      known: lastStreamId(redis, stream).then((id) => {
        followed.cursor ??= id;
        wake();
      }),
    };
    streams.set(stream, followed);
    followed.known.catch(onError);
    startLoop();
    return followed;
  }

  function startLoop(): void {
    if (loop || closed) return;
    reader = redis.duplicate();
    reader.on('error', onError);
    // The reader's id changes when it reconnects; CLIENT UNBLOCK needs the current one.
    reader.on('close', () => {
      readerClientId = undefined;
    });
    loop = readLoop(reader);
  }

  /** The streams to read now: those whose position is known. */
  function readable(): string[] {
    return [...streams].filter(([, s]) => s.cursor !== undefined).map(([name]) => name);
  }

  async function readLoop(connection: Redis): Promise<void> {
    while (!closed) {
      if (readable().length === 0) {
        await new Promise<void>((resume) => {
          wakeLoop = resume;
        });
        wakeLoop = undefined;
        continue;
      }
      let reply: [string, RawStreamEntry[]][] | null;
      try {
        readerClientId ??= Number(await connection.client('ID'));
        // No await between choosing the streams and marking them read: a stream followed
        // after this point finds `reading` set, and wakes this XREAD.
        const names = readable();
        if (names.length === 0) continue;
        const cursors = names.map((name) => streams.get(name)?.cursor ?? '$');
        reading = new Set(names);
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
        if (closed) return;
        onError(error);
        await new Promise((resume) => setTimeout(resume, RETRY_AFTER_ERROR_MS));
        continue;
      } finally {
        reading = undefined;
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
          if (followed.subscribers.size === 0 && streams.get(stream) === followed) streams.delete(stream);
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
      wakeLoop?.();
      streams.clear();
      reader?.disconnect();
      await loop;
    },
  };
}
