import type { Deps } from '../deps.ts';

/** How far a consumer group is behind the streams it reads. */
export interface ConsumerLag {
  /** Entries not yet acknowledged: handed to an instance and pending, or not handed out yet. */
  entries: number;
  /** Age of the oldest entry not acknowledged, in seconds (0 when none). */
  seconds: number;
}

/** Past this many undelivered entries on a stream whose group cannot say (XINFO's lag is null), count no further. */
const COUNT_LIMIT = 100_000;

const msOf = (id: string) => Number(id.split('-')[0]);

/** XINFO GROUPS / CONSUMERS as records, whichever reply shape the client gives (flat pairs or a map). */
export function groupsOf(reply: unknown): Record<string, unknown>[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((g) => {
    if (!Array.isArray(g)) return g as Record<string, unknown>;
    const record: Record<string, unknown> = {};
    for (let i = 0; i + 1 < g.length; i += 2) record[String(g[i])] = g[i + 1];
    return record;
  });
}

async function streamLag(deps: Deps, group: string, stream: string, now: number): Promise<ConsumerLag> {
  const { redis } = deps;
  const length = await redis.xlen(stream);
  if (length === 0) return { entries: 0, seconds: 0 };
  const g = groupsOf(await redis.xinfo('GROUPS', stream)).find((x) => x.name === group);
  let pending = 0;
  let lastDelivered = '0-0';
  let undelivered: number | undefined;
  if (g) {
    pending = Number(g.pending ?? 0);
    lastDelivered = String(g['last-delivered-id'] ?? '0-0');
    if (typeof g.lag === 'number') undelivered = g.lag;
  }
  undelivered ??= ((await redis.xrange(stream, `(${lastDelivered}`, '+', 'COUNT', COUNT_LIMIT)) as unknown[])
    .length;
  let oldest: string | undefined;
  if (pending > 0) {
    const summary = (await redis.xpending(stream, group)) as [number, string | null, ...unknown[]];
    oldest = summary[1] ?? undefined;
  } else if (undelivered > 0) {
    const next = (await redis.xrange(stream, `(${lastDelivered}`, '+', 'COUNT', 1)) as [string, unknown][];
    oldest = next[0]?.[0];
  }
  const seconds = oldest === undefined ? 0 : Math.max(0, Math.round((now - msOf(oldest)) / 100) / 10);
  return { entries: pending + undelivered, seconds };
}

/** The group's lag over `streams`: entries summed, seconds of the oldest. Readable from any instance. */
export async function readConsumerLag(deps: Deps, group: string, streams: string[]): Promise<ConsumerLag> {
  // Stream ids are Redis's own time, not the server's clock (which tests may move).
  const now = Date.now();
  const lags = await Promise.all(streams.map((stream) => streamLag(deps, group, stream, now)));
  return {
    entries: lags.reduce((sum, l) => sum + l.entries, 0),
    seconds: lags.reduce((max, l) => Math.max(max, l.seconds), 0),
  };
}
