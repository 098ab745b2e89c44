import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AUTH_PREFIX, RATE_LIMIT_PREFIX } from '../../server/redis/keys.ts';

/** Counters that every answer moves (per-minute metrics, rate limits): not state. */
function isBookkeeping(key: string): boolean {
  return key.startsWith(`${AUTH_PREFIX}metric:`) || key.startsWith(RATE_LIMIT_PREFIX);
}

/**
 * A fingerprint of everything in Redis but the bookkeeping counters: each key with a hash of
 * its DUMP, sorted. Two equal snapshots mean a request changed nothing.
 */
export async function redisSnapshot(redis: Redis): Promise<string[]> {
  const keys = (await redis.keys('*')).filter((key) => !isBookkeeping(key)).sort();
  const rows: string[] = [];
  for (const key of keys) {
    const dump = await redis.dumpBuffer(key);
    rows.push(`${key} ${dump === null ? 'gone' : createHash('sha256').update(dump).digest('hex')}`);
  }
  return rows;
}
