import type { Deps } from '../deps.ts';
import { LuaScript } from '../redis/lua-script.ts';

const trimScript = new LuaScript(
  'trim-acknowledged',
  new URL('./lua/trim-acknowledged.lua', import.meta.url),
  {
    keys: ['stream'],
  },
);

/**
 * The archiver's consumer group: only its acknowledgement means "in the ledger", so no stream
 * is trimmed before this group exists on it, whatever other groups have acknowledged.
 */
export const ARCHIVER_GROUP = 'archiver';

/** Most entries one call removes, so a stream that grew during an outage is trimmed in short steps. */
const TRIM_STEP = 10_000;

/**
 * Trims `stream` to the newest AUDIT_KEEP_IN_REDIS entries, never below what every consumer
 * group acknowledged (trim-acknowledged.lua). Returns the number of entries removed.
 */
export async function trimAcknowledged(deps: Deps, stream: string): Promise<number> {
  return Number(
    await trimScript.call(deps.redis, { stream }, [deps.config.auditKeepInRedis, TRIM_STEP, ARCHIVER_GROUP]),
  );
}
