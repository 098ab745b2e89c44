import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { killInstance } from '../ledger/kill-harness.ts';
import { startReceiver, type TestReceiver } from './receiver.ts';
import { FAST_WEBHOOKS, WEBHOOK_TEST_CONFIG } from './tuning.ts';

let redis: TestRedis;
let pg: TestPostgres;
let receiver: TestReceiver;
let child: ChildProcess | undefined;
let survivor: TestServer | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  pg = await startTestPostgres();
  receiver = await startReceiver();
});
afterAll(async () => {
  if (child) await killInstance(child);
  await survivor?.close();
  await receiver?.stop();
  await Promise.all([redis?.stop(), pg?.stop()]);
});

/** A Holdfast instance in a child process (test/webhooks/instance-process.ts), to be killed. */
async function spawnInstance(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'test/webhooks/instance-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    started.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /INSTANCE (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    started.once('exit', (code) => reject(new Error(`instance exited (${code}):\n${out}`)));
  });
  return { url, child: started };
}

describe('an instance killed mid-delivery', () => {
  it('loses nothing: another instance sends every delivery, each webhook-id delivered', async () => {
    const spawned = await spawnInstance({ REDIS_URL: redis.url, DATABASE_URL: pg.url });
    child = spawned.child;
    await seedStore(spawned.url, 'aiea', [{ sku: 'KIT', onHand: 50 }]);
    const made = await call(spawned.url, 'POST', '/api/admin/webhooks', {
      token: TEST_ADMIN_TOKEN,
      body: { url: `${receiver.url}/erp`, events: ['hold.created'] },
    });
    expect(made.status).toBe(201);
    // The receiver takes the requests and never answers: the instance dies waiting.
    receiver.answer = () => 'never';
    for (let i = 0; i < 5; i++) {
      const res = await call(spawned.url, 'POST', '/api/holds', {
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(i) },
        idempotencyKey: newKey('hold'),
      });
      expect(res.status).toBe(201);
    }
    await waitUntil(
      async () => receiver.received.length,
      (n) => n >= 1,
      10_000,
    );
    await killInstance(child);
    child = undefined;
    receiver.answer = () => ({ status: 200 });
    survivor = await startTestServer(redis, WEBHOOK_TEST_CONFIG, {
      ledger: pg.db(),
      webhooks: FAST_WEBHOOKS,
    });
    const db = pg.db();
    await waitUntil(
      async () =>
        (await db.pool.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`))
          .rows[0].n,
      (n) => n === 5,
      15_000,
    );
    const all = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    expect(all.size).toBe(5);
    const sequences = new Set(receiver.received.map((r) => JSON.parse(r.body).sequence as string));
    expect(sequences.size).toBe(5);
  });
});
