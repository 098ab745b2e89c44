import { z } from 'zod';
import { deviceIdSchema } from '../../shared/api/admin-controls.ts';
import {
  metricsSchema,
  storeDrillDownSchema,
  syncOverviewSchema,
  tabletHistorySchema,
} from '../../shared/api/admin-sync.ts';
import { slugSchema } from '../../shared/api/common.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { metricKeys } from './keys.ts';
import { readMetrics } from './metrics.ts';
import { readStoreDrillDown, readSyncOverview } from './sync-overview.ts';

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
  declareRoute(
    app,
    {
      method: 'get',
      path: '/sync/stores/{storeId}',
      summary:
        'One store’s drill-down: its tablets, and the holds, bookings and products its customers wait on',
      access: 'admin',
      params: z.object({ storeId: slugSchema }),
      errors: ['STORE_NOT_FOUND'],
      ok: {
        status: 200,
        schema: storeDrillDownSchema,
        description: 'The store as the sync-status page shows it',
      },
    },
    async (c) => await readStoreDrillDown(deps, c.req.valid('param').storeId),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/sync/metrics',
      summary: 'Per-minute counts for the sync-status charts',
      access: 'admin',
      query: z.object({ minutes: z.coerce.number().int().min(1).max(120).default(60) }),
      ok: { status: 200, schema: metricsSchema, description: 'Each metric per minute, oldest first' },
    },
    async (c) => await readMetrics(deps, c.req.valid('query').minutes),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/sync/tablets/{deviceId}/history',
      summary: 'A tablet’s last connections and disconnections, as the servers saw them',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema }),
      ok: { status: 200, schema: tabletHistorySchema, description: 'Newest first, at most 50' },
    },
    async (c) => {
      const raw = await deps.redis.lrange(metricKeys.presenceLog(c.req.valid('param').deviceId), 0, 49);
      return {
        events: raw.flatMap((json) => {
          const parsed = tabletHistorySchema.shape.events.element.safeParse(JSON.parse(json));
          return parsed.success ? [parsed.data] : [];
        }),
      };
    },
  );
  return app;
}
