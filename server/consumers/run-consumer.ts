import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseAuditEntry, type RawStreamEntry } from '../audit/streams.ts';
import type { Deps } from '../deps.ts';
import { blockingClient, isCluster, type RedisClient } from '../redis/client.ts';
import { CONSUMER_DEFAULTS, type ConsumerOptions, type StreamConsumer } from './consumer.ts';
import { groupsOf } from './lag.ts';
import { trimAcknowledged } from './trim.ts';

/** A group member idle this long with nothing pending is an instance that is gone. */
const GONE_AFTER_MS = 24 * 60 * 60_000;

export interface RunningConsumer {
  /** This instance's name in the consumer group. */
  readonly consumerName: string;
  /** Stops reading; a batch being handled finishes first. Entries not acknowledged stay pending. */
  stop(): Promise<void>;
}

/** One blocking reader: on one Redis every stream, on a Cluster one hash tag's (one XREADGROUP cannot span slots). */
interface Reader {
  readonly key: string;
  readonly connection: RedisClient;
  streams: string[];
  loop: Promise<void> | undefined;
}

type ReadReply = [string, RawStreamEntry[]][] | null;

function hashTagOf(stream: string): string {
  const open = stream.indexOf('{');
  const close = stream.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? stream.slice(open, close + 1) : stream;
}

const isBusyGroup = (error: unknown) => error instanceof Error && error.message.startsWith('BUSYGROUP');

/**
 * Runs a consumer on this instance: creates its group on each stream (from the start of what
 * Redis keeps), reads new entries with XREADGROUP, hands them to the handler, acknowledges them
 * after it resolved, and trims the stream below what every group acknowledged. Entries another
 * instance left pending (it died mid-batch) are claimed with XAUTOCLAIM once idle for
 * `claimIdleMs`; entries of its own whose handler failed are read again from its pending list.
 */
export function startConsumer(
  deps: Deps,
  consumer: StreamConsumer,
  onError: (error: unknown) => void,
  options: ConsumerOptions = {},
): RunningConsumer {
  const o = { ...CONSUMER_DEFAULTS, ...options };
  const consumerName =
    options.consumerName ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const grouped = isCluster(deps.redis);
  const readers = new Map<string, Reader>();
  const withGroup = new Set<string>();
  let stopped = false;
  const sleepers = new Set<() => void>();

  /** A wait that stop() ends at once. */
  const sleep = (ms: number) =>
    new Promise<void>((resume) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resume();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  async function ensureGroups(streams: string[]): Promise<void> {
    for (const stream of streams) {
      if (withGroup.has(stream)) continue;
      // From 0: what Redis still keeps of a stream older than the group is archived too.
      await deps.redis.xgroup('CREATE', stream, consumer.name, '0', 'MKSTREAM').catch((error: unknown) => {
        if (!isBusyGroup(error)) throw error;
      });
      withGroup.add(stream);
    }
  }

  /** Handles one stream's entries, then acknowledges them and trims. */
  async function apply(stream: string, raw: RawStreamEntry[]): Promise<void> {
    // An entry deleted from the stream while pending reads as [id, null]: nothing to apply.
    const present = raw.filter(([, fields]) => Array.isArray(fields));
    if (present.length > 0) {
      await consumer.handle(
        stream,
        present.map((entry) => parseAuditEntry(stream, entry)),
      );
    }
    if (raw.length === 0) return;
    await deps.redis.xack(stream, consumer.name, ...raw.map(([id]) => id));
    await trimAcknowledged(deps, stream);
  }

  /**
   * Each instance joins the group under a new name, so names of instances long gone pile up:
   * one with nothing pending and idle for a day is removed (XGROUP DELCONSUMER loses nothing
   * when nothing is pending).
   */
  async function forgetGone(stream: string): Promise<void> {
    const consumers = groupsOf(await deps.redis.xinfo('CONSUMERS', stream, consumer.name));
    for (const c of consumers) {
      if (c.name === consumerName || Number(c.pending) !== 0 || Number(c.idle) < GONE_AFTER_MS) continue;
      await deps.redis.xgroup('DELCONSUMER', stream, consumer.name, String(c.name));
    }
  }

  async function claimAbandoned(streams: string[]): Promise<void> {
    for (const stream of streams) {
      await forgetGone(stream);
      let cursor = '0-0';
      do {
        const reply = (await deps.redis.xautoclaim(
          stream,
          consumer.name,
          consumerName,
          o.claimIdleMs,
          cursor,
          'COUNT',
          o.batch,
        )) as [string, RawStreamEntry[], string[]?];
        cursor = reply[0];
        await apply(stream, reply[1]);
      } while (cursor !== '0-0' && !stopped);
    }
  }

  async function readLoop(reader: Reader): Promise<void> {
    let retryMs: number = o.retryMs;
    let ownPending = true;
    let lastClaim = 0;
    while (!stopped) {
      const streams = reader.streams;
      if (streams.length === 0) {
        await sleep(o.refreshStreamsMs);
        continue;
      }
      try {
        await ensureGroups(streams);
        if (Date.now() - lastClaim >= o.claimEveryMs) {
          lastClaim = Date.now();
          await claimAbandoned(streams);
        }
        // After a failure (or at start) this consumer's own pending entries first: `0` reads
        // them again; `>` reads what no one in the group was given yet.
        const from = ownPending ? '0' : '>';
        const ids = [...streams, ...streams.map(() => from)];
        const c = reader.connection;
        const g = consumer.name;
        const reply = (
          ownPending
            ? await c.xreadgroup('GROUP', g, consumerName, 'COUNT', o.batch, 'STREAMS', ...ids)
            : await c.xreadgroup(
                'GROUP',
                g,
                consumerName,
                'COUNT',
                o.batch,
                'BLOCK',
                o.blockMs,
                'STREAMS',
                ...ids,
              )
        ) as ReadReply;
        let read = 0;
        for (const [stream, raw] of reply ?? []) {
          read += raw.length;
          await apply(stream, raw);
        }
        if (ownPending && read === 0) ownPending = false;
        retryMs = o.retryMs;
      } catch (error) {
        if (stopped) break;
        onError(error);
        // The stream or its group may be gone (a flushed Redis): create them again.
        withGroup.clear();
        ownPending = true;
        await sleep(retryMs);
        retryMs = Math.min(retryMs * 2, o.maxRetryMs);
      }
    }
  }

  function readerFor(key: string): Reader {
    const existing = readers.get(key);
    if (existing) return existing;
    const reader: Reader = {
      key,
      connection: blockingClient(deps.redis, o.blockMs),
      streams: [],
      loop: undefined,
    };
    reader.connection.on('error', () => undefined);
    readers.set(key, reader);
    return reader;
  }

  async function refreshStreams(): Promise<void> {
    const streams = (await consumer.streams(deps)).sort();
    const byKey = new Map<string, string[]>();
    for (const stream of streams) {
      const key = grouped ? hashTagOf(stream) : 'all';
      byKey.set(key, [...(byKey.get(key) ?? []), stream]);
    }
    for (const [key, list] of byKey) {
      const reader = readerFor(key);
      reader.streams = list;
      reader.loop ??= readLoop(reader);
    }
  }

  const refresher = (async () => {
    while (!stopped) {
      await refreshStreams().catch(onError);
      await sleep(o.refreshStreamsMs);
    }
  })();

  return {
    consumerName,
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      for (const reader of readers.values()) reader.connection.disconnect();
      await refresher;
      await Promise.all([...readers.values()].map((r) => r.loop));
    },
  };
}
