import type { Deps } from '../deps.ts';
import { type KeyPlan, type LuaScript, type LuaScriptOptions, scriptAt } from '../redis/lua-script.ts';
import { type MutationContext, type MutationKeyRole, mutationArgs } from '../redis/mutation.ts';
import type { StoreKeys } from './keys.ts';

/** Most expired holds one script releases (prelude.lua sweep_expired_holds), so Redis is never blocked for long. */
export const HOLDS_PER_SWEEP = 100;

/** A stock script: its keys by role, and the sweep's limit as the constant HOLDS_PER_SWEEP. */
export function stockScriptAt<const K extends string>(
  name: string,
  base: string,
  options: LuaScriptOptions<K>,
): LuaScript<K> {
  return scriptAt(name, base, { ...options, constants: { HOLDS_PER_SWEEP, ...options.constants } });
}

/** The holds due at `now` (up to `limit`): their ids and keys, as prelude.lua's given_due_holds() reads them. */
export async function dueHoldsAt(
  deps: Deps,
  k: StoreKeys,
  now: number,
  limit: number,
): Promise<{ ids: string[]; keys: string[] }> {
  const ids = await deps.redis.zrangebyscore(k.holdExpiry, '-inf', now, 'LIMIT', 0, limit);
  return { ids, keys: ids.map((id) => k.hold(id)) };
}

const NONE_DUE = { ids: [] as string[], keys: [] as string[] };

/**
 * The plan of a stock mutation that sweeps expired holds first (for decideWithFreshKeys). Holds
 * rarely fall due exactly when someone acts, so the first run is given none; if the script
 * finds some due it changes nothing and says so, and the second run is given the holds due at
 * the same `now`.
 */
export function stockMutationPlan<K extends string>(
  deps: Deps,
  k: StoreKeys,
  keys: Record<K | MutationKeyRole, string>,
  ctx: MutationContext,
  args: readonly (string | number)[],
  extraKeys: readonly string[] = [],
): (attempt: number) => Promise<KeyPlan<K | MutationKeyRole>> {
  const now = deps.clock.now();
  return async (attempt) => {
    const due = attempt === 1 ? NONE_DUE : await dueHoldsAt(deps, k, now, HOLDS_PER_SWEEP);
    return {
      keys,
      args: [...mutationArgs(deps, ctx, args, now), JSON.stringify(due.ids)],
      extraKeys: [...extraKeys, ...due.keys],
    };
  };
}
