import { syncOverviewSchema } from '../../shared/api/admin-sync.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readSyncOverview } from './sync-overview.ts';

/** The admin's sync-status page data. Mount at /api/admin. */
export function adminSyncRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'get',
      path: '/sync-overview',
      summary: 'Every store and tablet: in sync or not, pending, refused and why; the system’s health',
      access: 'admin',
      ok: { status: 200, schema: syncOverviewSchema, description: 'The sync-status page in one answer' },
    },
    async () => await readSyncOverview(deps),
  );
  return app;
}
