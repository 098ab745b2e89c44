import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { type Holdfast, startHoldfast } from '../../server/holdfast.ts';
import { SERVING_CLIENT_OPTIONS } from '../../server/redis/check.ts';
import { type LocalRedis, startLocalRedis } from '../../server/redis/local-redis.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';

// The server's own Redis client is built as server/main.ts builds it (no offline queue),
// and its redis-server is killed with SIGKILL and restarted on the same port and directory.
const dir = mkdtempSync(join(tmpdir(), 'holdfast-redis-down-'));
let local: LocalRedis;
let redis: Redis;
let holdfast: Holdfast;

beforeAll(async () => {
  local = await startLocalRedis({ dir, appendfsync: 'always' });
  redis = new Redis(local.url, { ...SERVING_CLIENT_OPTIONS, lazyConnect: true });
  const redisErrors: Error[] = [];
  redis.on('error', (error: Error) => redisErrors.push(error));
  await redis.connect();
  const config = testConfig({ adminToken: TEST_ADMIN_TOKEN, rateLimitPerMinute: 0 });
  const deps = createDeps(redis, config, { onError: () => {} });
  holdfast = await startHoldfast(deps, {
    port: 0,
    hostname: '127.0.0.1',
    webRoot: '/nonexistent',
    onError: () => {},
    eventCheckMs: 100,
  });
  await seedStore(holdfast.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
});

afterAll(async () => {
  await holdfast?.close();
  redis?.disconnect();
  await local?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('answers 503 within a second while Redis is down, says nothing changed, logs no details, and is ready again once Redis is back', async () => {
  const url = holdfast.url;
  expect((await call(url, 'GET', '/api/ready')).body).toEqual({ ok: true });
  const first = await call(url, 'POST', '/api/holds', {
    idempotencyKey: newKey(),
    body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
  });
  expect(first.status).toBe(201);

  local.process.kill('SIGKILL');
  await waitUntil(
    () => call(url, 'GET', '/api/ready'),
    (r) => r.status === 503,
  );
  expect((await call(url, 'GET', '/api/ready')).body).toEqual({ ok: false });

  const logged: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
  });
  try {
    const started = Date.now();
    const read = await call(url, 'GET', '/api/stores');
    const write = await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer('secret-person') },
    });
    const elapsed = Date.now() - started;
    expect(read.status).toBe(503);
    expect(read.body.code).toBe('REDIS_UNAVAILABLE');
    expect(write.status).toBe(503);
    // Refused before it was sent: nothing changed, so not OUTCOME_UNKNOWN.
    expect(write.body.code).toBe('REDIS_UNAVAILABLE');
    expect(write.headers.get('retry-after')).toBe('1');
    expect(elapsed).toBeLessThan(1_000);
  } finally {
    spy.mockRestore();
  }
  expect(logged.length).toBeGreaterThan(0);
  for (const line of logged) {
    expect(line).toMatch(/^request failed: (GET|POST) \/api\/\S+ REDIS_UNAVAILABLE id=[0-9a-f-]+$/);
    expect(line).not.toContain('secret-person');
  }

  const restarted = await startLocalRedis({ dir, port: local.port, appendfsync: 'always' });
  local = restarted;
  await waitUntil(
    () => call(url, 'GET', '/api/ready'),
    (r) => r.status === 200 && r.body.ok === true,
    10_000,
  );
  // The hold made before the crash survived (AOF, appendfsync always).
  const hold = await call(url, 'GET', `/api/holds/${first.body.id}`, { token: first.body.manageToken });
  expect(hold.status).toBe(200);
});
