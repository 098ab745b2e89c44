import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from './keys.ts';

const sweepScript = scriptAt('sweep', import.meta.url, {
  keys: [...STOCK_CORE_ROLES, 'leaseExpiry', 'leasePrefix', 'leaseUntilPrefix'],
});

/** Most holds and leases released by one sweep call, so Redis is never blocked for long. */
const SWEEP_LIMIT = 500;

/** Releases a store's expired holds and reclaims its expired leases. */
export async function sweepStore(deps: Deps, storeId: string): Promise<{ holds: number; leases: number }> {
  const k = storeKeys(storeId);
  const keys = {
    ...stockCoreKeys(k),
    leaseExpiry: k.leaseExpiry,
    leasePrefix: k.leasePrefix,
    leaseUntilPrefix: k.leaseUntilPrefix,
  };
  const [holds, leases] = (await sweepScript.call(deps.redis, keys, [SWEEP_LIMIT, deps.clock.now()])) as [
    number,
    number,
  ];
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
