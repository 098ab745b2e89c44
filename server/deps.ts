import type { ErrorCode } from '../shared/errors.ts';
import { createStreamHub, type StreamHub } from './audit/hub.ts';
import type { Config } from './config.ts';
import { createInstruments, type Instruments } from './observability/instruments.ts';
import { createLogger, type Logger, logErrorsOf } from './observability/log.ts';
import type { RedisClient } from './redis/client.ts';

/** The one source of "now" for server code, so tests can move time instead of waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What every capability needs, passed in (no module-level state), so tests can build many servers. */
export interface Deps {
  redis: RedisClient;
  config: Config;
  clock: Clock;
  /** This instance's reader of the audit streams, shared by every live view (server/audit/hub.ts). */
  hub: StreamHub;
  /** What this instance noticed and said once in its log (here, not in a module variable). */
  noticed: { untrustedProxy: boolean };
  /** JSON lines, personal data redacted (server/observability/log.ts). */
  log: Logger;
  /** This instance's Prometheus instruments (GET /metrics). */
  metrics: Instruments;
}

/** Deps over a connected Redis; the caller closes `hub` when it is done. */
export function createDeps(
  redis: RedisClient,
  config: Config,
  options: { clock?: Clock; onError?: (error: unknown) => void; log?: Logger } = {},
): Deps {
  // Tests build many; their default logger says only what went wrong.
  const log = options.log ?? createLogger({ level: 'warn' });
  const onError = options.onError ?? logErrorsOf(log, 'audit stream');
  const metrics = createInstruments({ enabled: config.metrics });
  return {
    redis,
    config,
    clock: options.clock ?? systemClock,
    hub: createStreamHub(redis, onError),
    noticed: { untrustedProxy: false },
    log,
    metrics,
  };
}

/** Who is acting, recorded with every change in the audit log. */
export type Actor =
  | { role: 'customer'; client: string }
  | { role: 'staff'; deviceId: string; storeId: string }
  | { role: 'admin' };

export interface AppEnv {
  /** `replayed`: the answer repeats a stored one (http/mutation.ts markReplayed). */
  /** `revokedAt`: the staff request comes from a revoked tablet, on its report-only route. */
  Variables: {
    actor: Actor;
    replayed?: boolean;
    revokedAt?: number;
    /** Set by http/observe.ts: this request's id (X-Request-Id) and the logger. */
    requestId: string;
    log: Logger;
    /** The error code answered, and for a 500 where it happened (http/errors.ts), for the request's log line. */
    errorCode?: ErrorCode;
    errorDetail?: string;
  };
}
