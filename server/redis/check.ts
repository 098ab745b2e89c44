import type { RedisClient } from './client.ts';

/**
 * Refuses a Redis that could lose or evict acknowledged reservations (DESIGN: AOF,
 * appendfsync always by default). Returns the reasons; empty means fine.
 */
export async function checkRedisDurability(
  redis: RedisClient,
): Promise<{ problems: string[]; warnings: string[] }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const config = async (name: string) => {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1] ?? '';
  };
  if ((await config('appendonly')) !== 'yes') {
    problems.push(
      'AOF is off (appendonly no): an acknowledged hold could be lost in a crash. Run Redis with --appendonly yes.',
    );
  }
  const policy = await config('maxmemory-policy');
  if (policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is ${policy}: Redis could evict holds and bookings. Set it to noeviction.`,
    );
  }
  const fsync = await config('appendfsync');
  if (fsync !== 'always') {
    warnings.push(
      `appendfsync is ${fsync}: up to a second of acknowledged changes could be lost in a crash.`,
    );
  }
  return { problems, warnings };
}
