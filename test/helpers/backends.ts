import type { RedisClient } from '../../server/redis/client.ts';
import { startTestRedis } from './redis.ts';
import { startTestCluster } from './redis-cluster.ts';

/** What a test server needs of a Redis it did not start: clients, and a way to empty it. */
export interface TestBackend {
  client(): RedisClient;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The backends every contract test runs on (one suite, two backends, as tldraw's sync-core
 * runs its storage tests): one Redis, and a Redis Cluster of 3 primaries and 3 replicas.
 */
export const BACKENDS: { name: string; start(): Promise<TestBackend> }[] = [
  { name: 'one Redis', start: startTestRedis },
  { name: 'a Redis Cluster (3 primaries, 3 replicas)', start: startTestCluster },
];
