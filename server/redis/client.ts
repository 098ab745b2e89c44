import { Cluster, Redis } from 'ioredis';

/**
 * What Holdfast talks to: one Redis, or a Redis Cluster (REDIS_CLUSTER_NODES). Every key a
 * command or script touches at once shares one hash tag (server/redis/keys.ts), so every
 * command below works the same on both.
 */
export type RedisClient = Redis | Cluster;

/** True for a Redis Cluster client. */
export function isCluster(redis: RedisClient): redis is Cluster {
  return (redis as { isCluster?: boolean }).isCluster === true;
}

/** A new connection (or cluster client) with the same options, e.g. for a blocking read or a subscriber. */
export function duplicateClient(redis: RedisClient): RedisClient {
  return isCluster(redis) ? redis.duplicate() : redis.duplicate();
}

/**
 * A connection of its own for one long-lived reader (the stream hub's XREAD, the relay's
 * subscriber), as a copy of `redis` whose own first command waits for the connection to open.
 * The copy connects only when first used, and under failFast (no offline queue) that first
 * command failed ("Stream isn't writeable"): each new reader logged an error and started late,
 * and an instance's first store document failed to open. Requests keep failing fast on the
 * shared client.
 */
export function dedicatedClient(redis: RedisClient): RedisClient {
  const connection = duplicateClient(redis);
  connection.options.enableOfflineQueue = true;
  return connection;
}

/**
 * A dedicated connection for a blocking read (XREAD BLOCK) whose command timeout, if any
 * (failFast), outlasts the block, so a quiet stream is not taken for a dead Redis (every idle
 * read timed out, was logged as an error and resumed half a second late).
 */
export function blockingClient(redis: RedisClient, blockMs: number): RedisClient {
  const connection = dedicatedClient(redis);
  if (!isCluster(connection) && connection.options.commandTimeout !== undefined)
    connection.options.commandTimeout += blockMs;
  return connection;
}

/** `host:port` of a cluster's seed nodes, for messages. */
export function describeTarget(target: { clusterNodes: string } | { url: string }): string {
  return 'clusterNodes' in target ? `the Redis Cluster at ${target.clusterNodes}` : `Redis at ${target.url}`;
}

/**
 * A client for REDIS_CLUSTER_NODES (ioredis' Cluster, with sharded pub/sub) or for one Redis at
 * `url`, not yet connected. Auto-pipelining sends the commands of one tick in one write: a hold
 * is one EVALSHA, and many concurrent holds then share system calls (see BENCHMARKS.md).
 */
export function createRedisClient(target: { clusterNodes: string } | { url: string }): RedisClient {
  const redisOptions = { maxRetriesPerRequest: 3 };
  if ('clusterNodes' in target) {
    const seeds = target.clusterNodes.split(',').map((seed) => {
      const [host = '127.0.0.1', port = '6379'] = seed.split(':');
      return { host, port: Number(port) };
    });
    return new Cluster(seeds, {
      lazyConnect: true,
      enableAutoPipelining: true,
      shardedSubscribers: true,
      // The cluster copies these into each node's connection when it is built, so failFast's
      // later settings never reach them: a node that drops packets fails a connect within 1 s.
      redisOptions: { ...redisOptions, connectTimeout: 1_000 },
    });
  }
  return new Redis(target.url, { ...redisOptions, lazyConnect: true, enableAutoPipelining: true });
}
