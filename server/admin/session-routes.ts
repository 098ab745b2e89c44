import { sessionStateSchema, signInSchema } from '../../shared/api/admin-session.ts';
import { AppError } from '../app-error.ts';
import { isAdminToken } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { rateLimitPublicWrites } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { endSession, hasSession, isSameOrigin, startSession } from './sessions.ts';

/**
 * The admin console's sign-in: the admin token once, then a session cookie (HttpOnly,
 * SameSite=Strict, kept in Redis with an expiry). Outside /api/admin/ so that signing in needs
 * no session. Scripts keep using the bearer token. Mount at /api.
 */
export function adminSessionRoutes(deps: Deps) {
  const app = apiRouter();
  const limited = rateLimitPublicWrites(deps);

  declareRoute(
    app,
    {
      method: 'get',
      path: '/session',
      summary: 'Whether this browser is signed in to the admin console',
      access: 'public',
      ok: { status: 200, schema: sessionStateSchema, description: 'Signed in or not' },
    },
    async (c) => ({ signedIn: await hasSession(deps, c) }),
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/session',
      summary: 'Sign in to the admin console with the admin token',
      access: 'public',
      body: signInSchema,
      rateLimit: limited,
      ok: { status: 200, schema: sessionStateSchema, description: 'Signed in; the session cookie is set' },
      errors: ['UNAUTHENTICATED', 'FORBIDDEN'],
    },
    async (c) => {
      if (!isSameOrigin(c)) throw new AppError('FORBIDDEN', { reason: 'a cross-site request' });
      if (!(await isAdminToken(deps, c.req.valid('json').token))) throw new AppError('UNAUTHENTICATED');
      await startSession(deps, c);
      return { signedIn: true };
    },
  );

  declareRoute(
    app,
    {
      method: 'delete',
      path: '/session',
      summary: 'Sign out of the admin console',
      access: 'public',
      ok: { status: 200, schema: sessionStateSchema, description: 'Signed out, on every instance' },
      errors: ['FORBIDDEN'],
    },
    async (c) => {
      if (!isSameOrigin(c)) throw new AppError('FORBIDDEN', { reason: 'a cross-site request' });
      await endSession(deps, c);
      return { signedIn: false };
    },
  );
  return app;
}
