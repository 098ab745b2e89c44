import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';

/** Where `vite build` puts the web app. */
export const DEFAULT_WEB_ROOT = 'dist/client';

/**
 * Serves the built PWA. The service worker and the page must never come from an HTTP cache
 * (a stale sw.js would pin tablets to an old version); hashed assets may be cached forever.
 * Unknown paths under the app fall back to index.html, where the client routes.
 */
export function webRoutes(root: string = DEFAULT_WEB_ROOT): Hono<AppEnv> | undefined {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if (path === '/sw.js' || path.endsWith('.html') || path === '/' || path.endsWith('.webmanifest')) {
      c.header('Cache-Control', 'no-cache');
    } else if (path.startsWith('/assets/')) {
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
    }
  });
  app.use('*', serveStatic({ root }));
  // Read per request, not once: a deploy that replaces the files is served without a restart.
  app.get('*', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(await readFile(indexFile, 'utf8'));
  });
  return app;
}
