import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Deps } from '../deps.ts';
import { METRIC_TTL_MS, METRICS, type Metric, metricKeys } from './keys.ts';

const MINUTE_MS = 60_000;

/** The minute a time falls in (ms since epoch, floored). */
export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** How often an instance adds what it counted to Redis. */
export const CHART_FLUSH_MS = 1_000;

type CountedMetric = Exclude<Metric, 'tablets'>;

/** The chart counters of one instance: counted in memory, added to Redis once a second. */
export interface ChartCounters {
  count(metric: CountedMetric): void;
  /** Adds what was counted so far to Redis now. */
  flush(): Promise<void>;
  /** Stops the timer after a last flush (the instance is closing). */
  stop(): Promise<void>;
}

/**
 * Counts in memory and adds the counts to this minute's counters in Redis every second, so
 * every instance contributes and a hold costs no Redis command of its own for the charts (it
 * was a MULTI/INCR/PEXPIRE/EXEC per answer, a tenth of the server's CPU per hold). A crash
 * loses at most the last second's counts; a chart is never worth failing or slowing a request.
 */
export function chartCounters(
  deps: Deps,
  onError: (error: unknown) => void = (error) => deps.log.warn({ err: error }, 'chart counters not written'),
  flushEveryMs = CHART_FLUSH_MS,
): ChartCounters {
  let counted = new Map<string, number>();
  const flush = async () => {
    if (counted.size === 0) return;
    const batch = counted;
    counted = new Map();
    const tx = deps.redis.multi();
    for (const [key, n] of batch) tx.incrby(key, n).pexpire(key, METRIC_TTL_MS);
    await tx.exec();
  };
  const timer = setInterval(() => void flush().catch(onError), flushEveryMs);
  timer.unref();
  return {
    count(metric) {
      const key = metricKeys.counter(metric, minuteOf(deps.clock.now()));
      counted.set(key, (counted.get(key) ?? 0) + 1);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush().catch(onError);
    },
  };
}

/** Answers that are a command refused for what it asked (sold out, slot full, expired...), not a malformed request. */
const REFUSAL_STATUSES = new Set([403, 409, 410, 422]);

/** Records how many tablets this instance has connected this minute. */
export function recordTabletsGauge(deps: Deps, instanceId: string, tablets: number): Promise<unknown> {
  const key = metricKeys.counter('tablets', minuteOf(deps.clock.now()));
  return deps.redis.multi().hset(key, instanceId, tablets).pexpire(key, METRIC_TTL_MS).exec();
}

/**
 * Counts what the charts show where commands are answered (not from the audit streams, which
 * every instance reads and would count once each): holds and bookings made, commands refused,
 * and tablet actions accepted. A replay counts nothing.
 */
export function countAnswers(charts: ChartCounters): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || c.get('replayed')) return;
    const status = c.res.status;
    const path = c.req.path;
    if (status === 201 && path === '/api/holds') charts.count('holds');
    else if (status === 201 && path === '/api/bookings') charts.count('bookings');
    if (REFUSAL_STATUSES.has(status)) charts.count('refused');
    else if (status < 300 && path.startsWith('/api/staff/') && !path.endsWith('/status'))
      charts.count('synced');
  };
}

/** The last `minutes` minutes of every metric, oldest first. */
export async function readMetrics(deps: Deps, minutes: number) {
  const last = minuteOf(deps.clock.now());
  const times = Array.from({ length: minutes }, (_, i) => last - (minutes - 1 - i) * MINUTE_MS);
  const pipeline = deps.redis.pipeline();
  for (const metric of METRICS) {
    for (const t of times) {
      if (metric === 'tablets') pipeline.hvals(metricKeys.counter(metric, t));
      else pipeline.get(metricKeys.counter(metric, t));
    }
  }
  const replies = ((await pipeline.exec()) ?? []).map(([, value]) => value);
  const series = Object.fromEntries(
    METRICS.map((metric, m) => [
      metric,
      times.map((_, i) => {
        const value = replies[m * times.length + i];
        return Array.isArray(value)
          ? value.reduce((sum: number, v) => sum + Number(v), 0)
          : Number(value ?? 0);
      }),
    ]),
  ) as Record<Metric, number[]>;
  return { minutes: times, series };
}
