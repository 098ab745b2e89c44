import type { Hono, MiddlewareHandler } from 'hono';
import { AppError } from '../app-error.ts';
import { secretsMatch } from '../auth/devices.ts';
import { bearerToken, requireAdmin } from '../auth/middleware.ts';
import type { AppEnv, Deps } from '../deps.ts';

/** The text of GET /metrics: this instance's registry, or every worker's gathered (runtime/cluster.ts). */
export type MetricsSource = () => Promise<string>;

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set it takes exactly that
 * bearer token (a scraper holds no admin rights); unset, admin credentials (the admin token
 * or a console session). METRICS=off serves nothing here.
 */
export function serveMetrics(app: Hono<AppEnv>, deps: Deps, source?: MetricsSource): void {
  const { metrics, config } = deps;
  if (!metrics.enabled) return;
  const read = source ?? (() => metrics.registry.metrics());
  const access: MiddlewareHandler<AppEnv> =
    config.metricsToken === undefined ? requireAdmin(deps) : requireToken(config.metricsToken);
  app.get('/metrics', access, async (c) => {
    c.header('content-type', metrics.registry.contentType);
    c.header('cache-control', 'no-store');
    return c.body(await read());
  });
}

function requireToken(expected: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === undefined || !secretsMatch(token, expected)) {
      c.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHENTICATED');
    }
    await next();
  };
}
