import { isCluster, type RedisClient } from './client.ts';

/**
 * Whether `replicas` replicas have every write sent so far on this client's connections
 * (Redis WAIT). WAIT covers the writes of the connection it runs on; a Cluster client sends
 * each key's commands on its primary's one connection, so WAIT runs on every primary. Redis'
 * replication stays asynchronous: this narrows, not closes, the window in which a failover
 * loses an acknowledged write (README, "Redis Cluster: what can be promised").
 */
export async function replicasHaveWrites(
  redis: RedisClient,
  replicas: number,
  timeoutMs: number,
): Promise<boolean> {
  const primaries = isCluster(redis) ? redis.nodes('master') : [redis];
  const acknowledged = await Promise.all(primaries.map((node) => node.wait(replicas, timeoutMs)));
  return acknowledged.every((count) => Number(count) >= replicas);
}
