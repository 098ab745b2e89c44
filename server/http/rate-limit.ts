import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppEnv, Deps } from '../deps.ts';
import { RATE_LIMIT_PREFIX } from '../redis/keys.ts';
import { AppError } from './errors.ts';

/** The client a limit applies to: the socket's address, or X-Forwarded-For's first hop behind a proxy. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch (error) {
    // app.request() in tests has no socket; every such request shares one bucket.
    if (error instanceof Error) return 'in-process';
    throw error;
  }
}

/**
 * Per-client limit on public writes, counted in Redis so it holds across instances.
 * RATE_LIMIT_PER_MINUTE=0 turns it off (load tests). Also sets the customer actor.
 */
export function rateLimitPublicWrites(deps: Deps): MiddlewareHandler<AppEnv> {
  const perMinute = deps.config.rateLimitPerMinute;
  const limiter =
    perMinute > 0
      ? new RateLimiterRedis({
          storeClient: deps.redis,
          keyPrefix: RATE_LIMIT_PREFIX,
          points: perMinute,
          duration: 60,
        })
      : undefined;
  return async (c, next) => {
    const client = clientAddress(c, deps.config.trustProxy);
    c.set('actor', { role: 'customer', client });
    if (limiter && c.req.method !== 'GET') {
      try {
        await limiter.consume(client);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterS = Math.ceil(rejection.msBeforeNext / 1000);
        c.header('Retry-After', String(retryAfterS));
        throw new AppError('RATE_LIMITED', { retryAfterSeconds: retryAfterS });
      }
    }
    await next();
  };
}
