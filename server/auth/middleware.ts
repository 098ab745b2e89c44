import type { Context, MiddlewareHandler } from 'hono';
import { hasSession, isSameOrigin } from '../admin/sessions.ts';
import { AppError } from '../app-error.ts';
import { secretsMatch, sha256 } from '../crypto.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { authenticateDevice } from './devices.ts';
import { authKeys } from './keys.ts';

/** Where first-run setup keeps the admin token's hash when ADMIN_TOKEN is not set. */
export const ADMIN_TOKEN_HASH_KEY = authKeys.adminTokenHash;

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Whether `token` is the admin's (ADMIN_TOKEN, or the first-run token whose hash is in Redis). */
export async function isAdminToken(deps: Deps, token: string): Promise<boolean> {
  if (deps.config.adminToken !== undefined) return secretsMatch(token, deps.config.adminToken);
  const stored = await deps.redis.get(ADMIN_TOKEN_HASH_KEY);
  return stored !== null && secretsMatch(sha256(token), stored);
}

/**
 * Admin endpoints: the ADMIN_TOKEN (or the first-run token) as a bearer credential, for
 * scripts; or the console's session cookie, whose changes must come from the console's own
 * origin (server/admin/sessions.ts).
 */
export function requireAdmin(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token !== undefined) {
      if (!(await isAdminToken(deps, token))) throw new AppError('UNAUTHENTICATED');
    } else {
      if (!(await hasSession(deps, c))) throw new AppError('UNAUTHENTICATED');
      const safe = c.req.method === 'GET' || c.req.method === 'HEAD';
      if (!safe && !isSameOrigin(c)) throw new AppError('FORBIDDEN', { reason: 'a cross-site request' });
    }
    c.set('actor', { role: 'admin' });
    await next();
  };
}

/**
 * The one staff route a revoked tablet's credential still opens (issue 15 §1): its lease
 * report, to deliver the offline sales and write-offs it made before it was revoked.
 */
const REPORT_ONLY_ROUTE = /^\/api\/staff\/[^/]+\/leases\/[^/]+\/report$/;

/** Whether this request is the lease report, which a revoked tablet may still send. */
export function isReportOnlyRoute(method: string, path: string): boolean {
  return method === 'POST' && REPORT_ONLY_ROUTE.test(path);
}

/**
 * Staff endpoints under `/:storeId/`: an enrolled, unrevoked device of that very store (a
 * revoked one only for its lease report, with `revokedAt` set on the context).
 * A device of another store gets 403 and touches nothing.
 */
export function requireStoreDevice(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw new AppError('UNAUTHENTICATED');
    const reportOnly = isReportOnlyRoute(c.req.method, c.req.path);
    const device = await authenticateDevice(deps, token, { reportOnly });
    if (device.revokedAt !== undefined) c.set('revokedAt', device.revokedAt);
    const storeId = c.req.param('storeId');
    if (storeId !== device.storeId)
      throw new AppError('FORBIDDEN', { reason: 'this tablet belongs to another store' });
    c.set('actor', { role: 'staff', deviceId: device.deviceId, storeId: device.storeId });
    await next();
  };
}

/** The enrolled tablet behind a staff request (set by requireStoreDevice, mounted in app.ts). */
export function staffActor(c: Context<AppEnv>): { deviceId: string; storeId: string } {
  const actor = c.get('actor');
  if (actor?.role !== 'staff') throw new AppError('UNAUTHENTICATED');
  return actor;
}
