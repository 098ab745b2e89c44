import { createStreamHub, type StreamHub } from './audit/hub.ts';
import type { Config } from './config.ts';
import type { LedgerDb } from './ledger/db.ts';
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
  /** The ledger's PostgreSQL (DATABASE_URL); absent, nothing is archived and Redis keeps every entry. */
  ledger?: LedgerDb;
  /** What this instance noticed and said once in its log (here, not in a module variable). */
  noticed: { untrustedProxy: boolean };
}

/** Deps over a connected Redis; the caller closes `hub` when it is done. */
export function createDeps(
  redis: RedisClient,
  config: Config,
  options: { clock?: Clock; onError?: (error: unknown) => void; ledger?: LedgerDb } = {},
): Deps {
  const onError = options.onError ?? ((error: unknown) => console.error('holdfast: audit stream:', error));
  return {
    redis,
    config,
    clock: options.clock ?? systemClock,
    hub: createStreamHub(redis, onError),
    ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
    noticed: { untrustedProxy: false },
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
  Variables: { actor: Actor; replayed?: boolean; revokedAt?: number };
}
