import type { Hono, MiddlewareHandler } from 'hono';
import { AppError } from '../app-error.ts';
import { bearerToken, secretsMatch } from '../crypto.ts';
import type { AppEnv, Deps } from '../deps.ts';

/** The text of GET /metrics: this instance's registry, or every worker's gathered (runtime/cluster.ts). */
export type MetricsSource = () => Promise<string>;

/**
 * GET /metrics in Prometheus's text format. With METRICS_TOKEN set it takes exactly that
 * bearer token (a scraper holds no admin rights); unset, admin credentials (the admin token
 * or a console session, checked by `adminOnly`, which the app hands in so that observability
 * depends on no capability). METRICS=off serves nothing here.
 */
export function serveMetrics(
  app: Hono<AppEnv>,
  deps: Deps,
  adminOnly: MiddlewareHandler<AppEnv>,
  source?: MetricsSource,
): void {
  const { metrics, config } = deps;
  if (!metrics.enabled) return;
  const read = source ?? (() => metrics.registry.metrics());
  const access: MiddlewareHandler<AppEnv> =
    config.metricsToken === undefined ? adminOnly : requireToken(config.metricsToken);
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
