import type { Deps } from '../deps.ts';

/**
 * The gauges one running instance adds to its instruments: process and event-loop metrics,
 * tablets on its sync socket and the Redis round trip, measured by one PING at each scrape (no timer of its own). Returns
 * how to remove them.
 */
export function registerInstanceGauges(deps: Deps, tabletsConnected: () => number): () => void {
  deps.metrics.collectProcessMetrics();
  /** Seconds of one PING, or undefined when Redis did not answer. */
  const roundTrip = async () => {
    const started = performance.now();
    const pong = await deps.redis.ping().catch(() => undefined);
    return pong === 'PONG' ? (performance.now() - started) / 1000 : undefined;
  };
  const removals = [
    deps.metrics.gauge({
      name: 'holdfast_tablets_connected',
      help: 'Tablets connected to the sync socket now',
      read: tabletsConnected,
    }),
    deps.metrics.gauge({
      name: 'holdfast_redis_round_trip_seconds',
      help: 'Time of one PING to Redis at the scrape (the slowest worker); -1 when Redis did not answer',
      aggregator: 'max',
      read: async () => (await roundTrip()) ?? -1,
    }),
    deps.metrics.gauge({
      name: 'holdfast_redis_up',
      help: '1 when Redis answered a PING at the scrape (every worker), else 0',
      aggregator: 'min',
      read: async () => ((await roundTrip()) === undefined ? 0 : 1),
    }),
  ];
  return () => {
    for (const remove of removals) remove();
  };
}
