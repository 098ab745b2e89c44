import type { Config } from '../config.ts';
import type { Logger } from '../observability/log.ts';
import { failFast, reportRedisErrors } from '../redis/check.ts';
import { createRedisClient, describeTarget, type RedisClient } from '../redis/client.ts';
import type { Lifecycle } from './lifecycle.ts';

/**
 * Connects to REDIS_CLUSTER_NODES, or `url` (default REDIS_URL): one line in the log when
 * Redis goes away and one when it is back; commands then fail at once (a 503) instead of
 * queueing; closed on the way out.
 */
export async function connectRedis(
  config: Config,
  log: Logger,
  life: Lifecycle,
  url: string | undefined = config.redisUrl,
): Promise<RedisClient> {
  const target =
    config.redisClusterNodes !== undefined
      ? { clusterNodes: config.redisClusterNodes }
      : { url: url ?? 'redis://127.0.0.1:6379' };
  const redis = createRedisClient(target);
  reportRedisErrors(redis, { error: (line) => log.error(line), log: (line) => log.info(line) });
  try {
    await redis.connect();
  } catch (error) {
    return life.fail(`cannot reach ${describeTarget(target)}: ${(error as Error).message}`);
  }
  failFast(redis);
  life.onStop(async () => {
    // Already gone (Redis stopped first): nothing left to close gracefully.
    await redis.quit().catch(() => redis.disconnect());
  });
  return redis;
}
