import type { Redis } from 'ioredis';

/**
 * Refuses a Redis that could lose or evict acknowledged reservations (DESIGN: AOF,
 * appendfsync always by default). Returns the reasons; empty means fine.
 */
export async function checkRedisDurability(
  redis: Redis,
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

/**
 * Client options for serving: while Redis is away, commands fail at once instead of
 * queueing in memory (the request answers 503 within a second), and a command whose
 * connection died is not silently resent.
 */
export const SERVING_CLIENT_OPTIONS = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 1_000,
  commandTimeout: 2_000,
} as const;

/**
 * Whether an error means Redis could not be reached: `not-sent` when the command was refused
 * before it left (nothing changed), `unknown` when it was sent and the reply never came.
 */
export function redisFailureKind(error: unknown): 'not-sent' | 'unknown' | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.message.includes("Stream isn't writeable")) return 'not-sent';
  if (error.name === 'MaxRetriesPerRequestError') return 'unknown';
  if (error.message === 'Connection is closed.' || error.message === 'Command timed out') return 'unknown';
  const errno = (error as NodeJS.ErrnoException).code;
  if (errno === 'ECONNREFUSED' || errno === 'ECONNRESET' || errno === 'EPIPE') return 'unknown';
  return undefined;
}
