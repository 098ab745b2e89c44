import { dateInZone } from '../../shared/time.ts';
import type { Deps } from '../deps.ts';
import { reconcileAll } from './reconcile.ts';

/** How often each instance asks whether today's run was done. */
const CHECK_EVERY_MS = 10 * 60_000;
const DAY_S = 24 * 60 * 60;

/**
 * Reconciles once a day (UTC), on whichever instance asks first: a key per day taken with
 * SET NX decides, so instances need no leader. Drift is logged and kept for the admin's page.
 */
export function startDailyReconciliation(deps: Deps, onError: (error: unknown) => void): () => void {
  const ledger = deps.ledger;
  if (!ledger) return () => undefined;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const day = dateInZone(deps.clock.now(), 'UTC');
      const mine = await deps.redis.set(`ledger:reconciliation:daily:${day}`, '1', 'EX', 2 * DAY_S, 'NX');
      if (mine !== 'OK') return;
      const result = await reconcileAll(deps, ledger, 'daily');
      if (result.drift.length > 0)
        console.warn(
          `holdfast: reconciliation: ${result.drift.length} products differ from the ledger (GET /api/admin/reconciliation)`,
        );
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
