import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { newSecret } from '../../shared/ids.ts';
import { sha256 } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { adminKeys } from './keys.ts';

/** The admin console's session cookie. */
export const SESSION_COOKIE = 'holdfast_admin';
/** How long a session lasts without signing in again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

/**
 * Starts a session after the admin token was checked: a random id in an HttpOnly,
 * SameSite=Strict cookie (Secure over https), only its sha256 kept in Redis with an expiry,
 * so any instance recognises it and a Redis dump reveals no usable session.
 */
export async function startSession(deps: Deps, c: Context): Promise<void> {
  const id = newSecret(32);
  await deps.redis.set(adminKeys.session(sha256(id)), '1', 'PX', SESSION_TTL_MS);
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/api',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

/** Whether the request carries a live session. */
export async function hasSession(deps: Deps, c: Context): Promise<boolean> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 200) return false;
  return (await deps.redis.exists(adminKeys.session(sha256(id)))) === 1;
}

/** Signs out: the session ends on every instance at once. */
export async function endSession(deps: Deps, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await deps.redis.del(adminKeys.session(sha256(id)));
  deleteCookie(c, SESSION_COOKIE, { path: '/api' });
}

/**
 * A change made with the session cookie must come from the console's own page. SameSite=Strict
 * already keeps the cookie off other sites' requests; this checks the browser's Origin (or
 * Sec-Fetch-Site) as well, as OWASP's CSRF guidance asks for defence in depth.
 */
export function isSameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = c.req.header('origin');
  return origin !== undefined && origin === new URL(c.req.url).origin;
}
