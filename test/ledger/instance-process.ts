/**
 * One Holdfast instance with its archiver, in a process of its own, for the kill tests: over
 * REDIS_URL (or REDIS_CLUSTER_NODES) and DATABASE_URL, on a free port; prints `INSTANCE <url>` once it serves.
 * ARCHIVER_CLAIM_IDLE_MS shortens how long its dead peers' entries wait to be claimed.
 */
import { Redis } from 'ioredis';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { startHoldfast } from '../../server/holdfast.ts';
import { createLedgerDb } from '../../server/ledger/db.ts';
import { createRedisClient } from '../../server/redis/client.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/server.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
// On a Cluster (REDIS_CLUSTER_NODES) as the server makes its client; else one Redis.
const clusterNodes = process.env.REDIS_CLUSTER_NODES;
const redis = clusterNodes
  ? createRedisClient({ clusterNodes })
  : new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1 });
if (clusterNodes) await redis.connect();
const ledger = createLedgerDb(env('DATABASE_URL'), () => undefined);
const config = testConfig({
  adminToken: TEST_ADMIN_TOKEN,
  rateLimitPerMinute: 0,
  rateLimitPerIdentityPerMinute: 0,
  auditKeepInRedis: Number(process.env.AUDIT_KEEP_IN_REDIS ?? 50),
});
const deps = createDeps(redis, config, { ledger, onError: () => undefined });
const holdfast = await startHoldfast(deps, {
  port: 0,
  hostname: '127.0.0.1',
  webRoot: '/nonexistent',
  onError: () => undefined,
  archiver: {
    claimIdleMs: Number(env('ARCHIVER_CLAIM_IDLE_MS')),
    claimEveryMs: 200,
    blockMs: 200,
    refreshStreamsMs: 200,
  },
});
console.log(`INSTANCE ${holdfast.url}`);
