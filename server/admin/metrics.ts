import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Deps } from '../deps.ts';
import { METRIC_TTL_MS, METRICS, type Metric, metricKeys } from './keys.ts';

const MINUTE_MS = 60_000;

/** The minute a time falls in (ms since epoch, floored). */
export function minuteOf(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/**
 * Adds one to a metric's counter of this minute, in Redis, so every instance contributes. A
 * chart is never worth failing a request: a counter that cannot be written is reported and lost.
 */
export function countMetric(deps: Deps, metric: Exclude<Metric, 'tablets'>): void {
  void (async () => {
    const key = metricKeys.counter(metric, minuteOf(deps.clock.now()));
    await deps.redis.multi().incr(key).pexpire(key, METRIC_TTL_MS).exec();
  })().catch((error: unknown) => console.warn('holdfast: a chart counter was not written:', error));
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
export function countAnswers(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || c.res.headers.get('idempotent-replayed') === 'true') return;
    const status = c.res.status;
    const path = c.req.path;
    if (status === 201 && path === '/api/holds') countMetric(deps, 'holds');
    else if (status === 201 && path === '/api/bookings') countMetric(deps, 'bookings');
    if (REFUSAL_STATUSES.has(status)) countMetric(deps, 'refused');
    else if (status < 300 && path.startsWith('/api/staff/') && !path.endsWith('/status'))
      countMetric(deps, 'synced');
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
