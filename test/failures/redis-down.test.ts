import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { type Holdfast, startHoldfast } from '../../server/holdfast.ts';
import { failFast, reportRedisErrors } from '../../server/redis/check.ts';
import { createRedisClient, type RedisClient } from '../../server/redis/client.ts';
import { type LocalRedis, startLocalRedis } from '../../server/runtime/local-redis.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { captureLog } from '../helpers/log-capture.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';

// The server's own Redis client is built as server/main.ts builds it (no offline queue),
// and its redis-server is killed with SIGKILL and restarted on the same port and directory.
const dir = mkdtempSync(join(tmpdir(), 'holdfast-redis-down-'));
let local: LocalRedis;
let redis: RedisClient;
let holdfast: Holdfast;
const redisLog: string[] = [];
const serverLog = captureLog('info');

beforeAll(async () => {
  local = await startLocalRedis({ dir, appendfsync: 'always' });
  redis = createRedisClient({ url: local.url });
  reportRedisErrors(redis, { error: (line) => redisLog.push(line), log: (line) => redisLog.push(line) });
  await redis.connect();
  failFast(redis);
  const config = testConfig({ adminToken: TEST_ADMIN_TOKEN, rateLimitPerMinute: 0 });
  const deps = createDeps(redis, config, { onError: () => {}, log: serverLog.log });
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
  expect((await call(url, 'GET', '/api/ready')).body).toEqual({ ok: true, redis: { ok: true } });
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
  expect((await call(url, 'GET', '/api/ready')).body).toEqual({ ok: false, redis: { ok: false } });

  const loggedBefore = serverLog.records().length;
  {
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
  }
  const failures = serverLog.records().slice(loggedBefore);
  expect(failures.map((r) => [r.level, r.method, r.route, r.status, r.code])).toEqual([
    ['error', 'GET', '/api/stores', 503, 'REDIS_UNAVAILABLE'],
    ['error', 'POST', '/api/holds', 503, 'REDIS_UNAVAILABLE'],
  ]);
  for (const record of failures) expect(record.reqId).toMatch(/^[0-9a-f-]{36}$/);
  expect(serverLog.text()).not.toContain('secret-person');

  // The client's reconnect attempts fail while the server is down: reported once.
  await waitUntil(
    async () => redisLog.length,
    (n) => n > 0,
  );
  const restarted = await startLocalRedis({ dir, port: local.port, appendfsync: 'always' });
  local = restarted;
  await waitUntil(
    () => call(url, 'GET', '/api/ready'),
    (r) => r.status === 200 && r.body.ok === true,
    10_000,
  );
  // One line when Redis went away and one when it came back, not one per reconnect attempt.
  expect(redisLog).toEqual([expect.stringMatching(/^holdfast: lost Redis/), 'holdfast: Redis is back']);
  // The hold made before the crash survived (AOF, appendfsync always).
  const hold = await call(url, 'GET', `/api/holds/${first.body.id}`, { token: first.body.manageToken });
  expect(hold.status).toBe(200);
});
