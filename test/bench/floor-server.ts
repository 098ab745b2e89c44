/**
 * The floor under any hold on this stack, run as its own process by the HTTP bench: the same
 * HTTP server (Hono on @hono/node-server), a JSON body read, one EVALSHA with as many keys and
 * arguments as create-hold.lua gets and an answer of the same size, and a JSON reply. No
 * validation, idempotency, audit or stock logic. `REDIS_URL` names the Redis; the process
 * prints `FLOOR http://localhost:<port>` once it listens.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? '', { enableAutoPipelining: true });
/** A constant answer about as long as create-hold's (its outcome JSON). */
const answer = JSON.stringify({
  ok: true,
  body: { id: 'x'.repeat(32), createdAt: 1, expiresAt: 2, token: 'y'.repeat(43) },
});
const sha = (await redis.script('LOAD', `return { ${JSON.stringify(answer)}, 0 }`)) as string;
const keys = Array.from({ length: 9 }, (_, i) => `{st:floor}:key-${i}`);

const app = new Hono();
app.post('/floor', async (c) => {
  const body = (await c.req.json()) as { sku?: string; customer?: unknown };
  const args = [
    'p'.repeat(43),
    '86400000',
    '{"role":"public"}',
    Date.now(),
    `floor.${Date.now()}`,
    String(body.sku),
    '1',
    '600000',
    'h'.repeat(64),
    JSON.stringify(body.customer),
    't'.repeat(43),
    '[]',
  ];
  const [outcome] = (await redis.evalsha(sha, keys.length, [...keys, ...args.map(String)])) as [string];
  return c.json(JSON.parse(outcome).body, 201);
});
const server = serve({ fetch: app.fetch, port: 0 });
server.once('listening', () => {
  console.log(`FLOOR http://localhost:${(server.address() as AddressInfo).port}`);
});
