import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { matchCustomerRoute } from '../../shared/customer-routes.ts';
import type { AppEnv } from '../deps.ts';

/** Where `vite build` puts the web app. */
export const DEFAULT_WEB_ROOT = 'dist/client';

/**
 * Serves the built web app: three entries (DESIGN.md "three faces"). The staff PWA answers every
 * path under /staff/, the admin console every path under /admin/, and the customer site its own
 * pages (shared/customer-routes.ts); any other path is a 404 carrying the customer page, which
 * shows "not found". The service worker and the pages must never come from an HTTP cache (a
 * stale sw.js would pin tablets to an old version); hashed assets may be cached forever. Pages
 * send no Referer: a manage token lives in the URL fragment, and nothing leaks it onwards.
 */
export function webRoutes(root: string = DEFAULT_WEB_ROOT): Hono<AppEnv> | undefined {
  const customerPage = join(root, 'index.html');
  if (!existsSync(customerPage)) return undefined;
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    c.header('Referrer-Policy', 'no-referrer');
    if (path === '/sw.js' || path.endsWith('.html') || path.endsWith('/') || path.endsWith('.webmanifest')) {
      c.header('Cache-Control', 'no-cache');
    } else if (path.startsWith('/assets/')) {
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
  });
  // Read per request, not once: a deploy that replaces the files is served without a restart.
  const page =
    (file: string, status: 200 | 404 = 200) =>
    async (c: Context<AppEnv>) => {
      c.header('Cache-Control', 'no-cache');
      return c.html(await readFile(join(root, file), 'utf8'), status);
    };
  // The entry pages themselves are never served as files: each answers its own paths below.
  app.get('/staff', (c) => c.redirect('/staff/', 301));
  app.get('/admin', (c) => c.redirect('/admin/', 301));
  app.get('/staff/*', page('staff/index.html'));
  app.get('/admin/*', page('admin/index.html'));
  app.use('*', async (c, next) => {
    if (c.req.path.endsWith('.html')) return next(); // falls to the 404 below
    return serveStatic({ root })(c, next);
  });
  app.get('*', async (c) => {
    const known = matchCustomerRoute(c.req.path) !== undefined;
    return page('index.html', known ? 200 : 404)(c);
  });
  return app;
}
