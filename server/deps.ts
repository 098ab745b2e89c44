import type { Redis } from 'ioredis';
import type { Config } from './config.ts';

/** What every capability needs, passed in (no module-level state), so tests can build many servers. */
export interface Deps {
  redis: Redis;
  config: Config;
}

/** Who is acting, recorded with every change in the audit log. */
export type Actor =
  | { role: 'customer'; client: string }
  | { role: 'staff'; deviceId: string; storeId: string }
  | { role: 'admin' };

export interface AppEnv {
  Variables: { actor: Actor };
}
