import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, expect, it } from 'vitest';
import { handleError } from '../../server/http/errors.ts';
import { failFast, redisFailureKind, reportRedisErrors } from '../../server/redis/check.ts';
import { createRedisClient } from '../../server/redis/client.ts';
import { startLocalRedis } from '../../server/redis/local-redis.ts';
import { waitUntil } from '../helpers/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'holdfast-outcome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a command sent before Redis died answers 503 OUTCOME_UNKNOWN for a write, with Retry-After', async () => {
  const local = await startLocalRedis({ dir, appendfsync: 'always' });
  const redis = createRedisClient({ url: local.url });
  reportRedisErrors(redis, { error: () => {}, log: () => {} });
  await redis.connect();
  failFast(redis);
  const seen: unknown[] = [];
  const app = new Hono();
  app.onError(handleError);
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
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
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
    expect(errors).toEqual([expect.stringMatching(/^request failed: POST \/api\/write OUTCOME_UNKNOWN id=/)]);
  } finally {
    console.error = original;
    redis.disconnect();
    await local.stop();
  }
});
