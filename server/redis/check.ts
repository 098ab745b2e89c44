import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from './client.ts';

/**
 * Refuses a Redis that could lose or evict acknowledged reservations (DESIGN: AOF,
 * appendfsync always by default). On a Cluster every primary is checked, each named in its
 * reasons. Returns the reasons; empty means fine.
 */
export async function checkRedisDurability(
  redis: RedisClient,
): Promise<{ problems: string[]; warnings: string[] }> {
  if (!isCluster(redis)) return checkNode(redis, '');
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const node of redis.nodes('master')) {
    const found = await checkNode(node, `${node.options.host}:${node.options.port}: `);
    problems.push(...found.problems);
    warnings.push(...found.warnings);
  }
  return { problems, warnings };
}

async function checkNode(redis: Redis, label: string): Promise<{ problems: string[]; warnings: string[] }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const config = async (name: string) => {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1] ?? '';
  };
  if ((await config('appendonly')) !== 'yes') {
    problems.push(
      label +
        'AOF is off (appendonly no): an acknowledged hold could be lost in a crash. Run Redis with --appendonly yes.',
    );
  }
  const policy = await config('maxmemory-policy');
  if (policy !== 'noeviction') {
    problems.push(
      `${label}maxmemory-policy is ${policy}: Redis could evict holds and bookings. Set it to noeviction.`,
    );
  }
  const fsync = await config('appendfsync');
  if (fsync !== 'always') {
    warnings.push(
      `${label}appendfsync is ${fsync}: up to a second of acknowledged changes could be lost in a crash.`,
    );
  }
  return { problems, warnings };
}
