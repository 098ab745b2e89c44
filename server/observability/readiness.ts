import type { Hono } from 'hono';
import type { AppEnv, Deps } from '../deps.ts';

/** What one part says in GET /api/ready's body, under its name. */
export type PartReport = { ok: boolean } & Record<string, unknown>;

/**
 * One part of readiness. A `required` part that is not ok makes the answer 503 (a load
 * balancer then sends no traffic here); one that is not required is only reported, as the
 * ledger's Postgres and the archive's backlog must be: their outage must not stop sales.
 */
export interface ReadinessPart {
  name: string;
  required: boolean;
  read(): Promise<PartReport>;
}

/** Redis answers a PING: without it nothing can be held or booked. */
export function redisReadiness(deps: Deps): ReadinessPart {
  return {
    name: 'redis',
    required: true,
    async read() {
      const pong = await deps.redis.ping().catch(() => undefined);
      return { ok: pong === 'PONG' };
    },
  };
}

/**
 * Liveness (`/api/health`: the process answers, touching nothing) and readiness
 * (`/api/ready`: every part, `ok` false and 503 when a required one is not) are separate,
 * as load balancers expect; /api/health is also the benchmark's trivial endpoint.
 */
export function serveHealth(app: Hono<AppEnv>, parts: readonly ReadinessPart[]): void {
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/api/ready', async (c) => {
    const reports = await Promise.all(
      parts.map(async (part) => [part, await part.read().catch(() => ({ ok: false }))] as const),
    );
    const ok = reports.every(([part, report]) => report.ok || !part.required);
    const body = Object.fromEntries(reports.map(([part, report]) => [part.name, report]));
    return c.json({ ok, ...body }, ok ? 200 : 503);
  });
}
