import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { adminKeys } from '../../server/admin/keys.ts';
import { AUTH_PREFIX, RATE_LIMIT_PREFIX } from '../../server/redis/keys.ts';

/** Counters that every answer moves (per-minute metrics, rate limits) and each instance's heartbeat: not state. */
function isBookkeeping(key: string): boolean {
  return (
    key.startsWith(`${AUTH_PREFIX}metric:`) ||
    key.startsWith(RATE_LIMIT_PREFIX) ||
    key === adminKeys.instances
  );
}

/**
 * A fingerprint of everything in Redis but the bookkeeping counters: each key with a hash of
 * its DUMP, sorted. Two equal snapshots mean a request changed nothing.
 */
export async function redisSnapshot(redis: Redis): Promise<string[]> {
  const keys = (await redis.keys('*')).filter((key) => !isBookkeeping(key)).sort();
  // One round trip for every DUMP: the generated hostile test takes thousands of snapshots.
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.dumpBuffer(key);
  const dumps = (await pipeline.exec()) ?? [];
  return keys.map((key, i) => {
    const dump = dumps[i]?.[1] as Buffer | null | undefined;
    return `${key} ${dump ? createHash('sha256').update(dump).digest('hex') : 'gone'}`;
  });
}
