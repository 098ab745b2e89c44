import type { OpenAPIHono } from '@hono/zod-openapi';
import { adminControlRoutes } from './admin/controls/routes.ts';
import { type ChartCounters, chartCounters, countAnswers } from './admin/metrics.ts';
import { adminSessionRoutes } from './admin/session-routes.ts';
import { adminSyncRoutes } from './admin/sync-routes.ts';
import { appointmentAdminRoutes } from './appointments/admin-routes.ts';
import { appointmentRoutes } from './appointments/routes.ts';
import { scheduleRoutes } from './appointments/schedule-routes.ts';
import { requireAdmin, requireStoreDevice } from './auth/middleware.ts';
import { adminDeviceRoutes, enrollmentRoutes } from './auth/routes.ts';
import { holdLimitRoutes } from './customer/hold-limit-routes.ts';
import { customerRoutes } from './customer/routes.ts';
import type { AppEnv, Deps } from './deps.ts';
import { hoursRoutes } from './hours/routes.ts';
import { handleError, respondError } from './http/errors.ts';
import { observeRequests } from './http/observe.ts';
import { serveOpenApiDocument } from './http/openapi.ts';
import { confirmReplication } from './http/replication.ts';
import { apiRouter } from './http/route.ts';
import { archiveReadiness } from './ledger/archive-status.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { liveRoutes } from './live/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import type { NotificationsHandle } from './notifications/start.ts';
import { type MetricsSource, serveMetrics } from './observability/metrics-route.ts';
import { type ReadinessPart, redisReadiness, serveHealth } from './observability/readiness.ts';
import { statusRoutes } from './status/routes.ts';
import { storeRoutes } from './stock/routes.ts';
import { staffStockRoutes } from './stock/staff-routes.ts';
import { syncTicketRoutes } from './sync/ticket.ts';
import { waitingRoomRoutes } from './waiting-room/routes.ts';
import { webRoutes } from './web/static.ts';
import { webhookRoutes } from './webhooks/routes.ts';

/** Builds the HTTP API over the given Redis and config; no state lives outside Redis. */
export function createApp(
  deps: Deps,
  options: {
    webRoot?: string;
    charts?: ChartCounters;
    /** Where GET /metrics reads from; default this instance's registry. */
    metricsSource?: MetricsSource;
    /** More parts of GET /api/ready (the ledger's), beside Redis. */
    readiness?: readonly ReadinessPart[];
    notifications?: NotificationsHandle;
  } = {},
): OpenAPIHono<AppEnv> {
  const app = apiRouter();
  app.onError(handleError);
  app.notFound((c) => respondError(c, 'ROUTE_NOT_FOUND', { path: c.req.path }));
  // First, so every answer has its request id, its log line and its metrics.
  app.use('*', observeRequests(deps));
  serveHealth(app, [
    redisReadiness(deps),
    ...(deps.ledger ? [archiveReadiness(deps)] : []),
    ...(options.readiness ?? []),
  ]);
  serveMetrics(app, deps, requireAdmin(deps), options.metricsSource);
  // Who may call what is decided here, once per request, by path: every staff route is
  // under /api/staff/:storeId/ (a tablet of that store) and every admin route under /api/admin/.
  app.use('/api/*', confirmReplication(deps));
  app.use('/api/*', countAnswers(options.charts ?? chartCounters(deps)));
  app.use('/api/staff/:storeId/*', requireStoreDevice(deps));
  app.use('/api/admin/*', requireAdmin(deps));
  app.route('/api', enrollmentRoutes(deps));
  app.route('/api/admin', adminDeviceRoutes(deps));
  app.route('/api', storeRoutes(deps));
  app.route('/api', staffStockRoutes(deps));
  app.route('/api', appointmentRoutes(deps));
  app.route('/api', appointmentAdminRoutes(deps));
  app.route('/api', statusRoutes(deps));
  app.route('/api', syncTicketRoutes(deps));
  app.route('/api/admin', adminControlRoutes(deps));
  app.route('/api/admin', adminSyncRoutes(deps));
  app.route('/api/admin', ledgerRoutes(deps));
  app.route('/api/admin', webhookRoutes(deps));
  app.route('/api', adminSessionRoutes(deps));
  app.route('/api', customerRoutes(deps));
  app.route('/api', holdLimitRoutes(deps));
  app.route('/api', liveRoutes(deps));
  app.route('/api', waitingRoomRoutes(deps));
  app.route('/api/admin', notificationRoutes(deps, options.notifications));
  app.route('/api', hoursRoutes(deps));
  app.route('/api/admin', scheduleRoutes(deps));
  // Derived from the routes above, so it must come after them.
  serveOpenApiDocument(app, '/api/openapi.json');
  // API paths never fall through to the web app: an unknown endpoint is a JSON 404.
  app.all('/api/*', (c) => respondError(c, 'ROUTE_NOT_FOUND', { path: c.req.path }));
  const web = webRoutes(options.webRoot);
  if (web) app.route('/', web);
  return app;
}
