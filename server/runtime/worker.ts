import type { Config } from '../config.ts';
import { createDeps } from '../deps.ts';
import { startHoldfast } from '../holdfast.ts';
import { gatheredMetricsSource } from '../observability/cluster-metrics.ts';
import type { Logger } from '../observability/log.ts';
import { LISTENING } from './cluster.ts';
import { connectRedis } from './connect-redis.ts';
import type { Lifecycle } from './lifecycle.ts';

/** Where the primary built the web app, for its workers (`npm start --build`). */
export const WEB_ROOT_ENV = 'HOLDFAST_WEB_ROOT';
/** How long open requests may finish on shutdown before their connections are closed. */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * One worker of `npm start`: a whole instance over the Redis the primary prepared (its URL
 * is in REDIS_URL), on the shared port; GET /metrics answers for every worker. It stops
 * cleanly on SIGTERM or Ctrl+C, and when the primary is gone.
 */
export async function runWorker(config: Config, log: Logger, life: Lifecycle): Promise<void> {
  life.handleSignals();
  process.once('disconnect', () => void life.stop(0));
  const redis = await connectRedis(config, log, life);
  const deps = createDeps(redis, config, { log });
  const webRoot = process.env[WEB_ROOT_ENV];
  const holdfast = await startHoldfast(deps, {
    port: config.port,
    closeGraceMs: SHUTDOWN_GRACE_MS,
    metricsSource: gatheredMetricsSource(deps.metrics.registry),
    ...(webRoot ? { webRoot } : {}),
  }).catch((error: Error) => life.fail(`cannot listen on port ${config.port}: ${error.message}`));
  life.onStop(() => holdfast.close());
  process.send?.({ type: LISTENING, url: holdfast.url });
}
