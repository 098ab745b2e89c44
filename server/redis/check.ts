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

/** A Cluster command's tries (redirections included) and the wait between failed tries: ~0.3 s at most. */
const CLUSTER_TRIES = 6;
const CLUSTER_RETRY_DELAY_MS = 40;

/**
 * Once connected: while Redis is away, commands fail at once instead of queueing in memory
 * (the request answers 503 within a second), and a command whose connection died is not
 * silently resent. ioredis reads these options when each command is sent.
 */
export function failFast(redis: RedisClient): void {
  if (isCluster(redis)) {
    // ioredis tries a command whose node is not connected (or that met CLUSTERDOWN) again every
    // 100 ms, up to 16 times: about 1.8 s before a request answers, while a dead primary's slot
    // waits for a failover that takes a node timeout or more. A few quick tries still cover a
    // node connection that is being made and a MOVED or two; then the request answers 503.
    // CLUSTERDOWN is Redis refusing: answered at once (nothing ran).
    Object.assign(redis.options, {
      enableOfflineQueue: false,
      retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
      retryDelayOnClusterDown: 0,
      maxRedirections: CLUSTER_TRIES,
    });
    return;
  }
  Object.assign(redis.options, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
  });
}

/**
 * Without an error listener ioredis prints "Unhandled error event" for every reconnect
 * attempt. This reports one line when Redis goes away and one when it is back.
 */
export function reportRedisErrors(
  redis: RedisClient,
  log: { error(line: string): void; log(line: string): void },
): void {
  let away = false;
  redis.on('error', (error: Error) => {
    if (away) return;
    away = true;
    log.error(`holdfast: lost Redis (${(error as NodeJS.ErrnoException).code ?? error.name}); reconnecting`);
  });
  redis.on('ready', () => {
    if (away) log.log('holdfast: Redis is back');
    away = false;
  });
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Whether an error means Redis could not be reached: `not-sent` when the command was refused
 * before it left (nothing changed), `unknown` when it was sent and the reply never came.
 */
/** Replies of a Cluster in change, or of a node not able to serve: MOVED and ASK that reach the
 * caller (inside a transaction ioredis does not follow them), TRYAGAIN, LOADING, MASTERDOWN,
 * READONLY (a replica), EXECABORT (a transaction discarded because of one of these). */
const TOPOLOGY_REPLY = /^(MOVED|ASK|TRYAGAIN|LOADING|MASTERDOWN|READONLY|EXECABORT) /;

export function redisFailureKind(error: unknown): 'not-sent' | 'unknown' | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.message.includes("Stream isn't writeable")) return 'not-sent';
  // A Cluster that refused before running anything: a slot without a primary, or the client not ready.
  if (error.message.startsWith('CLUSTERDOWN') || error.message.startsWith("Cluster isn't ready"))
    return 'not-sent';
  // The cluster could not learn which node serves a slot: the command never reached one.
  if (error.name === 'ClusterAllFailedError') return 'not-sent';
  const redirected = /^Too many Cluster redirections\. Last error: (?:\w*Error: )?(.*)$/.exec(error.message);
  if (redirected) return redisFailureKind(new Error(redirected[1])) ?? 'unknown';
  if (error.name === 'MaxRetriesPerRequestError') return 'unknown';
  // A node that does not serve the slot now (it moved, or its primary is gone and not yet
  // replaced) or cannot serve at all. The answering node ran nothing, but ioredis may have sent
  // the command elsewhere first (to a primary that died with it), so the outcome is unknown.
  if (error.name === 'ReplyError' && TOPOLOGY_REPLY.test(error.message)) return 'unknown';
  if (error.message === 'Connection is closed.' || error.message === 'Command timed out') return 'unknown';
  const errno = (error as NodeJS.ErrnoException).code;
  // A connection that broke or never opened (a node gone, a connect timing out under load).
  if (errno && CONNECTION_ERRNOS.has(errno)) return 'unknown';
  return undefined;
}
