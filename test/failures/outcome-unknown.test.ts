import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { type AppEnv, createDeps } from '../../server/deps.ts';
import { startHoldfast } from '../../server/holdfast.ts';
import { handleError } from '../../server/http/errors.ts';
import { observeRequests } from '../../server/http/observe.ts';
import { createInstruments } from '../../server/observability/instruments.ts';
import { failFast, redisFailureKind, reportRedisErrors } from '../../server/redis/check.ts';
import { createRedisClient } from '../../server/redis/client.ts';
import { startLocalRedis } from '../../server/runtime/local-redis.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { captureLog } from '../helpers/log-capture.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { readStockRecord } from '../helpers/stock-record.ts';

const dir = mkdtempSync(join(tmpdir(), 'holdfast-outcome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a command sent before Redis died answers 503 OUTCOME_UNKNOWN for a write, with Retry-After', async () => {
  const local = await startLocalRedis({ dir, appendfsync: 'always' });
  const redis = createRedisClient({ url: local.url });
  reportRedisErrors(redis, { error: () => {}, log: () => {} });
  await redis.connect();
  failFast(redis);
  const seen: unknown[] = [];
  const app = new Hono<AppEnv>();
  const captured = captureLog('info');
  app.onError(handleError);
  app.use('*', observeRequests({ log: captured.log, metrics: createInstruments() }));
  // BLPOP waits on the server: it is sent, and its reply never comes once the server dies.
  app.post('/api/write', async (c) => {
    try {
      await redis.blpop('never-filled', 5);
    } catch (error) {
      seen.push(error);
      throw error;
    }
    return c.json({ ok: true });
  });
  try {
    const answer = app.request('/api/write', { method: 'POST' });
    // Kill once the command is on the server (a blocked client shows in INFO clients).
    const probe = createRedisClient({ url: local.url });
    await waitUntil(
      () => probe.info('clients'),
      (info) => /blocked_clients:1/.test(info),
    );
    probe.disconnect();
    local.process.kill('SIGKILL');
    const res = await answer;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('OUTCOME_UNKNOWN');
    expect(body.message).toContain('same Idempotency-Key');
    expect(redisFailureKind(seen[0])).toBe('unknown');
    // One line, with what a person matches a report with; nothing of the error's own text.
    expect(captured.records()).toEqual([
      expect.objectContaining({
        level: 'error',
        method: 'POST',
        route: '/api/write',
        status: 503,
        code: 'OUTCOME_UNKNOWN',
        reqId: res.headers.get('x-request-id'),
      }),
    ]);
  } finally {
    redis.disconnect();
    await local.stop();
  }
});

/**
 * A TCP proxy in front of Redis. `cutAfter(text)` arms it: the next write that contains
 * `text` is passed on to Redis, and that client's connection is cut before the reply comes
 * back, as when a network fails or a server dies between running a script and answering.
 */
async function startCuttingProxy(port: number) {
  let armed: string | undefined;
  const server: Server = createServer((client) => {
    const upstream = netConnect(port, '127.0.0.1');
    let cut = false;
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('data', (chunk) => {
      upstream.write(chunk);
      if (armed !== undefined && chunk.includes(armed)) {
        armed = undefined;
        cut = true;
        client.destroy();
        // Redis runs what it was sent; its reply goes nowhere.
        upstream.once('data', () => upstream.destroy());
      }
    });
    upstream.on('data', (chunk) => {
      if (!cut) client.write(chunk);
    });
    client.on('close', () => {
      if (!cut) upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    cutAfter(text: string) {
      armed = text;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it('a client that got OUTCOME_UNKNOWN and retries with the same Idempotency-Key gets the hold that was made, once', async () => {
  const backing = await startTestRedis();
  const proxy = await startCuttingProxy(Number(new URL(backing.url).port));
  const redis = createRedisClient({ url: proxy.url });
  reportRedisErrors(redis, { error: () => {}, log: () => {} });
  await redis.connect();
  failFast(redis);
  const deps = createDeps(redis, testConfig({ adminToken: TEST_ADMIN_TOKEN, rateLimitPerMinute: 0 }), {
    onError: () => {},
  });
  const holdfast = await startHoldfast(deps, {
    port: 0,
    hostname: '127.0.0.1',
    webRoot: '/nonexistent',
    onError: () => {},
    eventCheckMs: 100,
  });
  const original = console.error;
  console.error = () => {};
  try {
    await seedStore(holdfast.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
    const hold = (key: string) =>
      call(holdfast.url, 'POST', '/api/holds', {
        idempotencyKey: key,
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer('retry') },
      });
    // One hold first, so the script is cached and the cut request's EVALSHA runs it.
    expect((await hold(newKey('warm'))).status).toBe(201);
    const held = async () => (await readStockRecord(backing.client(), storeKeys('aiea'), 'KIT')).held;
    expect(await held()).toBe(1);

    const key = newKey('unknown');
    proxy.cutAfter(key);
    const unknown = await hold(key);
    expect(unknown.status).toBe(503);
    expect(unknown.body.code).toBe('OUTCOME_UNKNOWN');
    expect(unknown.headers.get('retry-after')).toBe('1');
    // The script did run: the customer has a hold and does not know it.
    expect(await held()).toBe(2);

    // As the customer pages and the outbox do: the same request, the same key, until answered.
    const retried = await waitUntil(
      () => hold(key),
      (res) => res.status !== 503,
    );
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.manageToken).toEqual(expect.any(String));
    const again = await hold(key);
    expect(again.body).toEqual(retried.body);
    expect(await held()).toBe(2);
    const mine = await call(holdfast.url, 'GET', `/api/holds/${retried.body.id}`, {
      token: retried.body.manageToken,
    });
    expect(mine.status).toBe(200);
  } finally {
    console.error = original;
    await holdfast.close();
    redis.disconnect();
    await proxy.close();
    await backing.stop();
  }
});
