/**
 * Signing in to the admin console, and a table of every admin endpoint refusing whoever is
 * not an admin: a tablet credential, a customer's manage token, no credential, an expired or
 * signed-out session, and a cross-site request made with a live session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKeys } from '../../server/admin/keys.ts';
import { sha256 } from '../../server/crypto.ts';
import { customer, enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let tabletToken: string;
let manageToken: string;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
  tabletToken = (await enrollTablet(server.url, 'aiea')).token;
  const hold = await call(server.url, 'POST', '/api/holds', {
    idempotencyKey: newKey(),
    body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
  });
  manageToken = hold.body.manageToken;
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const sameOrigin = () => ({ origin: server.url, 'sec-fetch-site': 'same-origin' });

/** Signs in as the console does; returns the session cookie. */
async function signIn(): Promise<string> {
  const res = await call(server.url, 'POST', '/api/session', {
    body: { token: TEST_ADMIN_TOKEN },
    headers: sameOrigin(),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  return cookie.split(';')[0] ?? '';
}

/** Every admin operation of the OpenAPI document, with its path parameters filled in. */
async function adminOperations(): Promise<{ method: string; path: string }[]> {
  const doc = (await call(server.url, 'GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/admin/'))
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'storeId' ? 'aiea' : `x-${name}`)),
      })),
    );
}

describe('signing in to the admin console', () => {
  it('gives a session cookie for the admin token, which the admin endpoints accept, until sign-out', async () => {
    const cookie = await signIn();
    expect((await call(server.url, 'GET', '/api/session', { headers: { cookie } })).body).toEqual({
      signedIn: true,
    });
    expect((await call(server.url, 'GET', '/api/admin/devices', { headers: { cookie } })).status).toBe(200);
    const out = await call(server.url, 'DELETE', '/api/session', { headers: { cookie, ...sameOrigin() } });
    expect(out.body).toEqual({ signedIn: false });
    expect((await call(server.url, 'GET', '/api/admin/devices', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a wrong token, and a sign-in from another site', async () => {
    const wrong = await call(server.url, 'POST', '/api/session', {
      body: { token: 'not-the-token' },
      headers: sameOrigin(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const crossSite = await call(server.url, 'POST', '/api/session', {
      body: { token: TEST_ADMIN_TOKEN },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
  });
});

describe('every admin endpoint refuses whoever is not an admin', () => {
  it('refuses a tablet, a customer, no credential, an expired or signed-out session', async () => {
    const expired = await signIn();
    await redis.client().del(adminKeys.session(sha256(decodeURIComponent(expired.split('=')[1] ?? ''))));
    const signedOut = await signIn();
    await call(server.url, 'DELETE', '/api/session', { headers: { cookie: signedOut, ...sameOrigin() } });
    const callers: [string, { token?: string; headers?: Record<string, string> }][] = [
      ['a tablet credential', { token: tabletToken }],
      ['a customer manage token', { token: manageToken }],
      ['no credential', {}],
      ['an expired session', { headers: { cookie: expired } }],
      ['a signed-out session', { headers: { cookie: signedOut } }],
    ];
    const operations = await adminOperations();
    expect(operations.length).toBeGreaterThan(15);
    for (const { method, path } of operations) {
      for (const [who, credential] of callers) {
        const res = await call(server.url, method, path, {
          ...credential,
          ...(method === 'GET' ? {} : { body: {}, idempotencyKey: newKey() }),
        });
        expect({ who, method, path, status: res.status, code: res.body?.code }).toEqual({
          who,
          method,
          path,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
      }
    }
  });

  it('refuses a change sent from another site with a live session, and changes nothing', async () => {
    const cookie = await signIn();
    const before = (await call(server.url, 'GET', '/api/admin/devices', { headers: { cookie } })).body;
    const operations = (await adminOperations()).filter((op) => op.method !== 'GET');
    expect(operations.length).toBeGreaterThan(5);
    for (const { method, path } of operations) {
      const res = await call(server.url, method, path, {
        body: {},
        idempotencyKey: newKey(),
        headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    expect((await call(server.url, 'GET', '/api/admin/devices', { headers: { cookie } })).body).toEqual(
      before,
    );
  });
});
