import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY } from '../redis/keys.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from './keys.ts';
import { dueHoldsAt, stockScriptAt } from './stock-scripts.ts';

const sweepScript = stockScriptAt('sweep', import.meta.url, {
  keys: [...STOCK_CORE_ROLES, 'leaseExpiry', 'revokedDevices'],
});

/** Most holds and leases released by one sweep call, so Redis is never blocked for long. */
const SWEEP_LIMIT = 500;

const NONE: string[] = [];

/**
 * Releases a store's expired holds and reclaims its expired leases. Usually nothing is due,
 * so the first run is given nothing; when the script finds something due it changes nothing
 * and says so, and the second run is given what is due at the same `now`, with its keys.
 */
export async function sweepStore(deps: Deps, storeId: string): Promise<{ holds: number; leases: number }> {
  const k = storeKeys(storeId);
  const keys = { ...stockCoreKeys(k), leaseExpiry: k.leaseExpiry, revokedDevices: k.revokedDevices };
  const now = deps.clock.now();
  const reply = await sweepScript.runWithFreshKeys(deps.redis, async (attempt) => {
    const [holds, leases] =
      attempt === 1
        ? [{ ids: NONE, keys: NONE }, NONE]
        : await Promise.all([
            dueHoldsAt(deps, k, now, SWEEP_LIMIT),
            deps.redis.zrangebyscore(k.leaseExpiry, '-inf', now, 'LIMIT', 0, SWEEP_LIMIT),
          ]);
    const leaseKeys = leases.flatMap((member) => {
      const deviceId = member.slice(0, member.indexOf('|'));
      return [k.lease(deviceId), k.leaseUntil(deviceId)];
    });
    return {
      keys,
      args: [SWEEP_LIMIT, now, JSON.stringify(leases), JSON.stringify(holds.ids)],
      extraKeys: [...leaseKeys, ...holds.keys],
    };
  });
  const [holds, leases] = reply as [number, number];
  return { holds, leases };
}

/**
 * Sweeps every store every `sweepIntervalMs`. Expiry does not depend on it (every script
 * sweeps first), but a store nobody touches still frees its units on time.
 */
export function startSweeper(deps: Deps, onError: (error: unknown) => void = console.error): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const storeIds = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
      for (const storeId of storeIds) await sweepStore(deps, storeId);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, deps.config.sweepIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
