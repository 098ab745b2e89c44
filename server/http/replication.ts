import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Deps } from '../deps.ts';
import { replicasHaveWrites } from '../redis/replication.ts';
import { errorBody, HTTP_STATUS, noteAnswered } from './errors.ts';

/** How long a change waits for its replicas before the answer says they did not confirm it. */
const WAIT_TIMEOUT_MS = 1_000;

/**
 * REDIS_WAIT_REPLICAS: a change is acknowledged only once that many replicas have it. Runs
 * after every changing request (not GET), whatever it answered short of a 5xx, because a
 * refusal is stored too (its idempotency record). Unconfirmed, the answer becomes 503
 * REPLICATION_UNCONFIRMED with Retry-After: a retry with the same key returns the stored result.
 */
export function confirmReplication(deps: Deps): MiddlewareHandler<AppEnv> {
  const replicas = deps.config.redisWaitReplicas;
  return async (c, next) => {
    await next();
    if (replicas === 0 || c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 500) return;
    if (await replicasHaveWrites(deps.redis, replicas, WAIT_TIMEOUT_MS)) return;
    noteAnswered(c, 'REPLICATION_UNCONFIRMED');
    c.res = Response.json(errorBody('REPLICATION_UNCONFIRMED'), {
      status: HTTP_STATUS.REPLICATION_UNCONFIRMED,
      headers: { 'retry-after': '1' },
    });
  };
}
