import { reconciliationSchema } from '../../shared/api/reconciliation.ts';
import { reportQuerySchema, reportSchema } from '../../shared/api/reports.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { reconcileAll } from './reconcile.ts';
import { readReport } from './reports.ts';

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
  declareRoute(
    app,
    {
      method: 'get',
      path: '/reports',
      summary:
        'Reports from the ledger: per store and day (store time) holds made, confirmed, collected, expired and cancelled, the median time to pickup and units received; per event and day bookings, check-ins, no-shows and cancellations; write-offs and count shortfalls per tablet',
      access: 'admin',
      query: reportQuerySchema,
      errors: ['LEDGER_UNAVAILABLE'],
      ok: { status: 200, schema: reportSchema, description: 'One report per store' },
    },
    async (c) => {
      const ledger = deps.ledger;
      if (!ledger) throw new AppError('LEDGER_UNAVAILABLE');
      return await readReport(deps, ledger, c.req.valid('query')).catch((error: unknown) => {
        if (error instanceof AppError) throw error;
        throw new AppError('LEDGER_UNAVAILABLE');
      });
    },
  );
  return app;
}
