import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';
import { type Received, startReceiver, type TestReceiver } from './receiver.ts';

let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
let receiver: TestReceiver;

let contract: ReturnType<typeof routeContract>;

/** An admin request whose answer must match what its route declares (test/http/contract.ts). */
async function admin(method: string, path: string, body?: unknown) {
  const res = await call(server.url, method, `/api/admin${path}`, {
    token: TEST_ADMIN_TOKEN,
    ...(body === undefined ? {} : { body }),
  });
  contract.check(method, `/api/admin${path}`, res.status, res.body);
  return res;
}

beforeAll(async () => {
  redis = await startTestRedis();
  pg = await startTestPostgres();
  receiver = await startReceiver();
  server = await startTestServer(
    redis,
    {
      webhookAllowPrivateAddresses: true,
      webhookRetryScheduleMs: [0, 50, 100, 200, 200, 200, 200, 200, 200],
    },
    {
      ledger: pg.db(),
      webhooks: { dispatcher: { blockMs: 100, refreshStreamsMs: 100 }, worker: { pollMs: 25 } },
    },
  );
  contract = routeContract(server.app);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 500 }]);
});
afterAll(async () => {
  await server?.close();
  await receiver?.stop();
  await Promise.all([redis?.stop(), pg?.stop()]);
});
beforeEach(async () => {
  await pg.db().pool.query('TRUNCATE webhook_endpoints CASCADE');
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200 });
});

async function makeHolds(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(i) },
      idempotencyKey: newKey('hold'),
    });
    expect(res.status).toBe(201);
  }
}

async function register(path: string, events = ['hold.*']) {
  const res = await admin('POST', '/webhooks', { url: `${receiver.url}${path}`, events, description: 'ERP' });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});
const at = (path: string) => receiver.received.filter((r) => r.path === path);

describe('webhook endpoints', () => {
  it('answers the secret once, lists without it, and refuses bad input with nothing stored', async () => {
    const made = await register('/a');
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(made.secret.slice(6), 'base64')).toHaveLength(32);
    for (const bad of [
      { url: 'ftp://example.com/x', events: ['hold.*'] },
      { url: `${receiver.url}/b`, events: [] },
      { url: `${receiver.url}/b`, events: ['Hold created'] },
      { url: 'not a url', events: ['hold.*'] },
    ]) {
      const res = await admin('POST', '/webhooks', bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const list = await admin('GET', '/webhooks');
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.body.webhooks[0]).not.toHaveProperty('secret');
    expect((await admin('PATCH', `/webhooks/${made.id}`, { events: [] })).status).toBe(400);
    expect((await admin('GET', `/webhooks/${made.id}`)).body.events).toEqual(['hold.*']);
    expect((await admin('PATCH', '/webhooks/wh_nosuchendpoint', { paused: true })).status).toBe(404);
    expect((await call(server.url, 'GET', '/api/admin/webhooks')).status).toBe(401);
    expect((await admin('DELETE', `/webhooks/${made.id}`)).status).toBe(200);
    expect((await admin('GET', '/webhooks')).body.webhooks).toHaveLength(0);
  });
});

describe('webhook delivery', () => {
  it('delivers matching events signed per Standard Webhooks, with the sequence and store-local time', async () => {
    const holds = await register('/holds', ['hold.created']);
    const stock = await register('/stock', ['stock.*']);
    await makeHolds(2);
    await waitUntil(
      async () => at('/holds').length,
      (n) => n === 2,
    );
    const verifier = new Webhook(holds.secret);
    for (const r of at('/holds')) {
      const payload = verifier.verify(r.body, headersOf(r)) as Record<string, unknown>;
      expect(payload).toMatchObject({ type: 'hold.created', storeId: 'aiea', stream: '{st:aiea}:audit' });
      expect(payload.sequence).toMatch(/^\d+-\d+$/);
      expect(payload.storeLocalTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      expect(() => new Webhook(stock.secret).verify(r.body, headersOf(r))).toThrow();
    }
    const [first, second] = at('/holds').map((r) => JSON.parse(r.body).sequence as string);
    expect(first).not.toBe(second);
    expect(at('/stock')).toHaveLength(0);
    // The receiver has them; the log has them once each attempt's answer is written.
    const log = await waitUntil(
      () => admin('GET', `/webhooks/${holds.id}/deliveries?status=delivered`),
      (res) => res.body.deliveries.length === 2,
    );
    const attempt = log.body.deliveries[0].attemptLog[0];
    expect(attempt).toMatchObject({ status: 200, responseExcerpt: 'answered 200' });
    expect(attempt.requestHeaders['webhook-id']).toBe(log.body.deliveries[0].messageId);
  });

  it('retries a receiver that is down until every event arrives, each webhook-id stable', async () => {
    const made = await register('/down');
    let failures = 0;
    receiver.answer = () => (failures++ < 6 ? (failures % 2 ? 'hang-up' : { status: 500 }) : { status: 200 });
    await makeHolds(3);
    await waitUntil(
      async () =>
        (await admin('GET', `/webhooks/${made.id}/deliveries?status=delivered`)).body.deliveries.length,
      (n) => n === 3,
    );
    const ids = at('/down').map((r) => String(r.headers['webhook-id']));
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(3);
    const verifier = new Webhook(made.secret);
    for (const r of at('/down')) verifier.verify(r.body, headersOf(r));
    const log = (await admin('GET', `/webhooks/${made.id}/deliveries`)).body.deliveries;
    expect(log.reduce((sum: number, d: { attemptLog: unknown[] }) => sum + d.attemptLog.length, 0)).toBe(
      ids.length,
    );
  });

  it('honours Retry-After on 429', async () => {
    const made = await register('/busy');
    let asked = 0;
    receiver.answer = () =>
      asked++ === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
    await makeHolds(1);
    await waitUntil(
      async () => at('/busy').length,
      (n) => n === 2,
      5_000,
    );
    const [a, b] = at('/busy').map((r) => Number(r.headers['webhook-timestamp']));
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(1);
    expect((await admin('GET', `/webhooks/${made.id}`)).body.disabledAt).toBeNull();
  });

  it('disables an endpoint that answers 410 and sends it nothing more', async () => {
    const made = await register('/gone');
    receiver.answer = () => ({ status: 410 });
    await makeHolds(1);
    const endpoint = await waitUntil(
      async () => (await admin('GET', `/webhooks/${made.id}`)).body,
      (e) => e.disabledAt !== null,
    );
    expect(endpoint.disabledReason).toMatch(/410/);
    await makeHolds(2);
    const other = await register('/after');
    await makeHolds(1);
    await waitUntil(
      async () => at('/after').length,
      (n) => n === 1,
    );
    expect(at('/gone')).toHaveLength(1);
    expect((await admin('PATCH', `/webhooks/${other.id}`, { paused: true })).body.paused).toBe(true);
  });

  it('disables an endpoint whose deliveries have failed for 5 days, and enables it again on request', async () => {
    const made = await register('/failing');
    receiver.answer = () => ({ status: 500 });
    await pg
      .db()
      .pool.query(
        `UPDATE webhook_endpoints SET failing_since = now() - interval '4 days 23 hours' WHERE id = $1`,
        [made.id],
      );
    await makeHolds(1);
    await waitUntil(
      async () => at('/failing').length,
      (n) => n >= 2,
    );
    expect((await admin('GET', `/webhooks/${made.id}`)).body.disabledAt).toBeNull();
    await pg
      .db()
      .pool.query(
        `UPDATE webhook_endpoints SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1`,
        [made.id],
      );
    await makeHolds(1);
    const endpoint = await waitUntil(
      async () => (await admin('GET', `/webhooks/${made.id}`)).body,
      (e) => e.disabledAt !== null,
    );
    expect(endpoint.disabledReason).toMatch(/5 days/);
    const enabled = await admin('PATCH', `/webhooks/${made.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ disabledAt: null, failingSince: null });
    // Every delivery has failed; the receiver is back: resend those since the test began.
    await waitUntil(
      async () =>
        (await admin('GET', `/webhooks/${made.id}/deliveries?status=pending`)).body.deliveries.length,
      (n) => n === 0,
    );
    receiver.answer = () => ({ status: 200 });
    const before = at('/failing').length;
    const bad = await admin('POST', `/webhooks/${made.id}/deliveries/resend-failed`, { since: 'yesterday' });
    expect(bad.status).toBe(400);
    const resent = await admin('POST', `/webhooks/${made.id}/deliveries/resend-failed`, {
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(resent.body.resent).toBe(2);
    await waitUntil(
      async () =>
        (await admin('GET', `/webhooks/${made.id}/deliveries?status=delivered`)).body.deliveries.length,
      (n) => n === 2,
    );
    expect(at('/failing').length).toBe(before + 2);
  });

  it('signs with both secrets after a rotation, and resends a delivery with the same webhook-id', async () => {
    const made = await register('/rotate');
    const rotated = await admin('POST', `/webhooks/${made.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(made.secret);
    await makeHolds(1);
    const [r] = await waitUntil(
      async () => at('/rotate'),
      (list) => list.length === 1,
    );
    if (!r) throw new Error('no request');
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    new Webhook(made.secret).verify(r.body, headersOf(r));
    new Webhook(rotated.body.secret).verify(r.body, headersOf(r));
    const [delivery] = (
      await waitUntil(
        () => admin('GET', `/webhooks/${made.id}/deliveries?status=delivered`),
        (res) => res.body.deliveries.length === 1,
      )
    ).body.deliveries;
    const resent = await admin('POST', `/webhooks/${made.id}/deliveries/${delivery.id}/resend`);
    expect(resent.status).toBe(200);
    await waitUntil(
      async () => at('/rotate').length,
      (n) => n === 2,
    );
    expect(at('/rotate')[1]?.headers['webhook-id']).toBe(r.headers['webhook-id']);
    expect((await admin('POST', `/webhooks/${made.id}/deliveries/999999/resend`)).status).toBe(404);
  });
});
