import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Each face's page answers its own paths; any other path is a real 404 (issue 6, section 1). */
let redis: TestRedis;
let server: TestServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'holdfast-web-routes-'));
  for (const face of ['staff', 'admin']) mkdirSync(join(root, face));
  writeFileSync(join(root, 'index.html'), '<title>customer</title>');
  writeFileSync(join(root, 'staff/index.html'), '<title>staff</title>');
  writeFileSync(join(root, 'admin/index.html'), '<title>admin</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets/app-1.js'), 'console.log(1)');
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot: root });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function get(path: string) {
  const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('the web pages', () => {
  it.each([
    ['/', 'customer'],
    ['/products/KIT', 'customer'],
    ['/products/KIT/reserve/aiea', 'customer'],
    ['/holds/h-1', 'customer'],
    ['/events/launch', 'customer'],
    ['/bookings/b-1', 'customer'],
    ['/staff/', 'staff'],
    ['/staff/anything/deeper', 'staff'],
    ['/admin/', 'admin'],
    ['/admin/stores/aiea', 'admin'],
  ])('%s answers 200 with the %s page, no-referrer and no-cache', async (path, face) => {
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<title>${face}</title>`);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });

  it.each([
    '/stores',
    '/reserve',
    '/products',
    '/nope/nope',
    '/index.html',
    '/holds/a/b',
  ])('%s answers 404 with the customer page (which shows "not found")', async (path) => {
    const page = await get(path);
    expect(page.status).toBe(404);
    expect(page.text).toContain('<title>customer</title>');
  });

  it('serves hashed assets for a year, and /staff without the slash redirects', async () => {
    const asset = await get('/assets/app-1.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const bare = await get('/staff');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/staff/');
  });

  it('an unknown API path is still a JSON 404', async () => {
    const response = await get('/api/nope');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text).code).toBe('ROUTE_NOT_FOUND');
  });
});
