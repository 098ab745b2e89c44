import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/deps.ts';
import { type ReadinessPart, serveHealth } from '../../server/observability/readiness.ts';

const part = (name: string, required: boolean, read: ReadinessPart['read']): ReadinessPart => ({
  name,
  required,
  read,
});

function appWith(parts: ReadinessPart[]) {
  const app = new Hono<AppEnv>();
  serveHealth(app, parts);
  return app;
}

describe('/api/health and /api/ready', () => {
  it('answers /api/health without asking any part', async () => {
    let asked = 0;
    const app = appWith([
      part('redis', true, async () => {
        asked += 1;
        return { ok: true };
      }),
    ]);
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(asked).toBe(0);
  });

  it('is 503 when a required part is not ok, and only reports one that is not required', async () => {
    const archiveBehind = part('archive', false, async () => ({ ok: false, behindEntries: 1200 }));
    const ready = appWith([part('redis', true, async () => ({ ok: true })), archiveBehind]);
    const fine = await ready.request('/api/ready');
    expect(fine.status).toBe(200);
    expect(await fine.json()).toEqual({
      ok: true,
      redis: { ok: true },
      archive: { ok: false, behindEntries: 1200 },
    });

    const redisDown = appWith([
      part('redis', true, () => Promise.reject(new Error('ECONNREFUSED'))),
      archiveBehind,
    ]);
    const down = await redisDown.request('/api/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      ok: false,
      redis: { ok: false },
      archive: { ok: false, behindEntries: 1200 },
    });
  });
});
