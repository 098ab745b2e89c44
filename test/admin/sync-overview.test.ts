import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { connectDoc, type DocClient } from '../helpers/tablet-client.ts';

let redis: TestRedis;
let server: TestServer;
const docs: DocClient[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
});
afterAll(async () => {
  for (const d of docs) d.close();
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  for (const d of docs.splice(0)) d.close();
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
});

const overview = async () =>
  (await call(server.url, 'GET', '/api/admin/sync-overview', { token: TEST_ADMIN_TOKEN })).body;
const tabletIn = (
  body: { stores: { storeId: string; tablets: { deviceId: string }[] }[] },
  deviceId: string,
) =>
  body.stores.flatMap((s) => s.tablets).find((t) => t.deviceId === deviceId) as
    | Record<string, unknown>
    | undefined;

describe('the sync-status page’s data', () => {
  it('shows what the server sees: a connected tablet, where, since when; a store without one says so', async () => {
    const before = await overview();
    expect(before.stores[0]).toMatchObject({ storeId: 'aiea', verdict: 'no_tablet_connected' });
    const tablet = await enrollTablet(server.url, 'aiea');
    const doc = connectDoc(server.url, 'aiea', tablet.token);
    docs.push(doc);
    await doc.synced;
    const body = await waitUntil(overview, (o) => tabletIn(o, tablet.deviceId)?.connected === true);
    expect(tabletIn(body, tablet.deviceId)).toMatchObject({
      verdict: 'in_sync',
      instanceId: server.sync.instanceId,
    });
    expect(body.stores[0].verdict).toBe('in_sync');
    expect(body.health.redis).toMatchObject({ ok: true, aof: true });
    // This server has no ledger: the page says so, and counts what is not archived.
    expect(body.health.archive).toMatchObject({ ledger: 'off' });
    expect(body.health.reconciliation).toBeNull();
    // Each instance beats every 2 s (the test emptied Redis just before).
    await waitUntil(overview, (o) =>
      o.health.instances.some((i: { instanceId: string }) => i.instanceId === server.sync.instanceId),
    );
  });

  it('shows a tablet that vanished (no close, no pong) as offline within 10 s, with since when', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const doc = connectDoc(server.url, 'aiea', tablet.token);
    docs.push(doc);
    await doc.synced;
    await waitUntil(overview, (o) => tabletIn(o, tablet.deviceId)?.connected === true);
    // The lid closes: the socket stops reading (so it answers no ping) and sends nothing.
    const socket = (doc.provider.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    doc.provider.shouldConnect = false;
    const vanishedAt = Date.now();
    const body = await waitUntil(overview, (o) => tabletIn(o, tablet.deviceId)?.connected === false, 10_000);
    expect(Date.now() - vanishedAt).toBeLessThan(10_000);
    expect(tabletIn(body, tablet.deviceId)).toMatchObject({ verdict: 'offline' });
    expect(Number(tabletIn(body, tablet.deviceId)?.offlineSince)).toBeGreaterThanOrEqual(vanishedAt - 5_000);
  }, 20_000);

  it('shows a refused action reported by the tablet, with its reason, as needing attention', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const report = await call(server.url, 'PUT', '/api/staff/aiea/status', {
      token: tablet.token,
      body: {
        appVersion: '1.0.0',
        pending: 0,
        failed: 1,
        oldestPendingAgeMs: 0,
        lastSyncedAt: Date.now(),
        failedActions: [
          {
            label: 'Sell 500 × KIT',
            code: 'SOLD_OUT',
            message: 'Only 10 are available.',
            createdAt: Date.now(),
            refusedAt: Date.now(),
          },
        ],
      },
    });
    expect(report.status).toBe(200);
    const body = await overview();
    expect(tabletIn(body, tablet.deviceId)).toMatchObject({
      verdict: 'needs_attention',
      reasons: ['1 refused action'],
      failedActions: [{ label: 'Sell 500 × KIT', message: 'Only 10 are available.' }],
    });
    expect(body.stores[0]).toMatchObject({
      verdict: 'needs_attention',
      reasons: ['1 tablet needs attention'],
    });
  });

  it('refuses anyone but an admin', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    expect((await call(server.url, 'GET', '/api/admin/sync-overview', { token: tablet.token })).status).toBe(
      401,
    );
    expect((await call(server.url, 'GET', '/api/admin/sync-overview')).status).toBe(401);
  });

  it('counts holds, bookings, refusals and accepted tablet actions per minute, once each, and tablets connected', async () => {
    const hold = (key: string, quantity = 1) =>
      call(server.url, 'POST', '/api/holds', {
        idempotencyKey: key,
        body: { storeId: 'aiea', sku: 'KIT', quantity, customer: { name: 'Ana', email: 'ana@example.com' } },
      });
    expect((await hold('metric-1')).status).toBe(201);
    expect((await hold('metric-1')).status).toBe(201); // a replay counts nothing
    expect((await hold('metric-2', 15)).status).toBe(409); // sold out: refused
    const tablet = await enrollTablet(server.url, 'aiea');
    const sale = await call(server.url, 'POST', '/api/staff/aiea/stock/KIT/sell', {
      token: tablet.token,
      idempotencyKey: 'metric-sale',
      body: { quantity: 1 },
    });
    expect(sale.status).toBe(200);
    const doc = connectDoc(server.url, 'aiea', tablet.token);
    docs.push(doc);
    await doc.synced;
    const sum = (series: number[]) => series.reduce((a, b) => a + b, 0);
    const metrics = await waitUntil(
      async () =>
        (await call(server.url, 'GET', '/api/admin/sync/metrics?minutes=5', { token: TEST_ADMIN_TOKEN }))
          .body,
      // Each instance adds its counts to Redis once a second.
      (m) =>
        m.series.tablets.at(-1) >= 1 &&
        sum(m.series.holds) >= 1 &&
        sum(m.series.refused) >= 1 &&
        sum(m.series.synced) >= 1,
    );
    expect(metrics.minutes).toHaveLength(5);
    expect(sum(metrics.series.holds)).toBe(1);
    expect(sum(metrics.series.refused)).toBe(1);
    expect(sum(metrics.series.synced)).toBe(1);
  });

  it('keeps a tablet’s connections and disconnections for its drill-down', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const doc = connectDoc(server.url, 'aiea', tablet.token);
    await doc.synced;
    doc.close();
    const history = await waitUntil(
      async () =>
        (
          await call(server.url, 'GET', `/api/admin/sync/tablets/${tablet.deviceId}/history`, {
            token: TEST_ADMIN_TOKEN,
          })
        ).body.events as { kind: string }[],
      (events) => events.length >= 2,
    );
    expect(history.map((e) => e.kind).slice(0, 2)).toEqual(['disconnected', 'connected']);
  });

  it('opens a store’s drill-down: each confirmed hold not acknowledged in time, its shortfalls; an unknown store is 404', async () => {
    // A second instance on the same Redis, whose acknowledgement time runs out at once.
    const impatient = await startTestServer(redis, { storeAckTimeoutMs: 1 });
    try {
      const drillDown = async () =>
        (await call(impatient.url, 'GET', '/api/admin/sync/stores/aiea', { token: TEST_ADMIN_TOKEN })).body;
      expect(await drillDown()).toMatchObject({ late: [], shortfalls: [], phone: '808-555-0100' });
      const held = await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: 'drill-hold',
        body: {
          storeId: 'aiea',
          sku: 'KIT',
          quantity: 2,
          customer: { name: 'Kim', email: 'kim@example.com' },
        },
      });
      // An unconfirmed hold is the customer's to confirm, not the store's to acknowledge.
      await new Promise((r) => setTimeout(r, 5));
      expect((await drillDown()).late).toEqual([]);
      await call(server.url, 'POST', `/api/holds/${held.body.id}/confirm`, {
        token: held.body.manageToken,
        idempotencyKey: 'drill-confirm',
      });
      const body = await waitUntil(drillDown, (b) => b.late.length === 1);
      expect(body.late[0]).toMatchObject({
        kind: 'hold',
        id: held.body.id,
        customerName: 'Kim',
        what: '2 × KIT',
      });
      expect(body.store).toMatchObject({ storeId: 'aiea', unacknowledged: 1, verdict: 'needs_attention' });
      expect(body.timeZone).toBe('Pacific/Honolulu');

      const unknown = await call(impatient.url, 'GET', '/api/admin/sync/stores/nowhere', {
        token: TEST_ADMIN_TOKEN,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('STORE_NOT_FOUND');
    } finally {
      await impatient.close();
    }
  });
});
