import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type Customer, customerKey } from '../../shared/api/common.ts';
import { sha256 } from '../crypto.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { RATE_LIMIT_PREFIX } from '../redis/keys.ts';
import { AppError } from './errors.ts';

/**
 * Whether requests have come to this instance through a proxy that TRUST_PROXY does not trust:
 * the console says so beside the waiting room, whose places per connection it would break.
 */
export function sawUntrustedProxy(deps: Deps): boolean {
  return deps.noticed.untrustedProxy;
}

/** The client a limit applies to: the socket's address, or X-Forwarded-For's first hop behind a proxy. */
export function clientAddress(c: Context, deps: Deps): string {
  if (deps.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  } else if (!deps.noticed.untrustedProxy && c.req.header('x-forwarded-for') !== undefined) {
    // On launch night this would let one customer per proxy address into a waiting room.
    deps.noticed.untrustedProxy = true;
    console.warn(
      'holdfast: warning: requests come through a proxy (X-Forwarded-For) but TRUST_PROXY is off: ' +
        'every customer behind it counts as the proxy for rate limits and waiting-room places per ' +
        'connection. Set TRUST_PROXY=1 when the server is reachable only through the proxy.',
    );
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
    const client = clientAddress(c, deps);
    c.set('actor', { role: 'customer', client });
    if (limiter && c.req.method !== 'GET') await consumeOrRefuse(c, limiter, client);
    await next();
  };
}

/** Counts one request against `key`, or refuses it with RATE_LIMITED and Retry-After. */
async function consumeOrRefuse(
  c: Context,
  limiter: RateLimiterRedis,
  key: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterS = Math.ceil(rejection.msBeforeNext / 1000);
    c.header('Retry-After', String(retryAfterS));
    throw new AppError('RATE_LIMITED', { retryAfterSeconds: retryAfterS, ...details });
  }
}

/**
 * The limit per customer identity (normalized email or phone) on creating holds and bookings
 * (issue 10 §4, OWASP API6): a bot that rotates addresses still counts as one customer. The
 * identity is in the body, so a route calls this after validation. Keys hold a hash of the
 * identity, never the email itself. RATE_LIMIT_PER_IDENTITY_PER_MINUTE=0 turns it off.
 */
export function rateLimitPerIdentity(deps: Deps): (c: Context, customer: Customer) => Promise<void> {
  const perMinute = deps.config.rateLimitPerIdentityPerMinute;
  if (perMinute <= 0) return async () => {};
  // Made at the first request, so building the routes touches no Redis (test/http/openapi.test.ts).
  let limiter: RateLimiterRedis | undefined;
  const limiterNow = () => {
    limiter ??= new RateLimiterRedis({
      storeClient: deps.redis,
      keyPrefix: `${RATE_LIMIT_PREFIX}id`,
      points: perMinute,
      duration: 60,
    });
    return limiter;
  };
  return (c, customer) => consumeOrRefuse(c, limiterNow(), sha256(customerKey(customer)), { by: 'customer' });
}
