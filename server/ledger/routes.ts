import { reconciliationSchema } from '../../shared/api/reconciliation.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { reconcileAll } from './reconcile.ts';

/** The ledger's admin endpoints. Mount at /api/admin. */
export function ledgerRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'get',
      path: '/reconciliation',
      summary:
        'Runs the reconciliation now: each store’s on hand, held and leased rebuilt from the ledger against Redis, with any drift and the entry after which it began',
      access: 'admin',
      errors: ['LEDGER_UNAVAILABLE'],
      ok: {
        status: 200,
        schema: reconciliationSchema,
        description: 'Every store checked, and every product that drifted',
      },
    },
    async () => {
      const ledger = deps.ledger;
      if (!ledger || !(await ledger.ping())) throw new AppError('LEDGER_UNAVAILABLE');
      return await reconcileAll(deps, ledger, 'on_demand');
    },
  );
  return app;
}
