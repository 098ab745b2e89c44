import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TabletDb } from '../../client/offline/db.ts';
import { Tablet } from '../../client/offline/tablet.ts';
import type { DeviceStatusView } from '../../shared/api/status.ts';
import { customer, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
const tablets: Tablet[] = [];
let dbCount = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 5 },
    { sku: 'CASE', onHand: 22 },
  ]);
  await call(server.url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: 'ev', name: 'Ev' },
  });
});
afterEach(() => {
  for (const t of tablets.splice(0)) t.stop();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

async function enrolledTablet(): Promise<{ tablet: Tablet; db: TabletDb }> {
  dbCount += 1;
  const db = new TabletDb(`tablet-${dbCount}`);
  const tablet = new Tablet(db, server.url, 'test', { WebSocketPolyfill: WebSocket, isOnline: () => true });
  tablets.push(tablet);
  await tablet.start();
  const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
    token: TEST_ADMIN_TOKEN,
  });
  await tablet.enroll(code.body.code, `Counter ${dbCount}`);
  await waitUntil(
    async () => tablet.getSnapshot().sync,
    (s) => s === 'synced',
  );
  return { tablet, db };
}

describe('the tablet controller', () => {
  it('acknowledges new holds and bookings of its store by itself, so customers see "received by the store"', async () => {
    const { tablet } = await enrolledTablet();
    const hold = (
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
      })
    ).body;
    const slotId = await slotTomorrow(server.url, 'ev');
    const booking = (
      await call(server.url, 'POST', '/api/bookings', {
        idempotencyKey: newKey(),
        body: { slotId, customer: customer(2) },
      })
    ).body;

    const heldView = await waitUntil(
      () => call(server.url, 'GET', `/api/holds/${hold.id}`, { token: hold.manageToken }),
      (r) => r.body.storeAcknowledgement.status === 'received',
    );
    expect(heldView.body.acknowledgedBy).toBe(tablet.getSnapshot().enrollment?.deviceId);
    await waitUntil(
      () => call(server.url, 'GET', `/api/bookings/${booking.id}`, { token: booking.manageToken }),
      (r) => r.body.storeAcknowledgement.status === 'received',
    );
  });

  it('online, answers a sale with the server’s outcome: refused with the numbers, or done (issue 8.2)', async () => {
    const { tablet, db } = await enrolledTablet();
    const refused = await tablet.remove('sale', 'CASE', 500);
    expect(refused).toMatchObject({
      kind: 'refused',
      code: 'SOLD_OUT',
      details: { available: 22, requested: 500 },
    });
    // Seen in place, so it does not also wait on the Sync tab as "failed".
    expect(tablet.getSnapshot().failed).toEqual([]);
    // A refused sale is not demand: the lease rule never sees it (issue 8.3).
    expect(await db.sales.toArray()).toEqual([]);

    expect(await tablet.remove('sale', 'CASE', 2)).toEqual({ kind: 'done' });
    await waitUntil(
      () => db.sales.toArray(),
      (sales) => sales.length === 1,
    );
    expect((await db.sales.toArray())[0]).toMatchObject({ sku: 'CASE', quantity: 2 });
  });

  it('reports its outbox to the admin sync-status page within 3 s of a change', async () => {
    const { tablet } = await enrolledTablet();
    const deviceId = tablet.getSnapshot().enrollment?.deviceId;
    const statusOf = async () =>
      (
        (await call(server.url, 'GET', '/api/admin/sync-status', { token: TEST_ADMIN_TOKEN })).body
          .devices as DeviceStatusView[]
      ).find((d) => d.deviceId === deviceId);
    // A hold step the server refuses lands in "failed" (nobody waits on it in place).
    await tablet.holdStep('no-such-hold', 'accept', 'Accept: 1 × KIT for nobody');
    const started = Date.now();
    const status = await waitUntil(statusOf, (s) => s?.failed === 1, 3_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(status).toMatchObject({
      appVersion: 'test',
      pending: 0,
      connection: 'synced',
      failedActions: [{ label: 'Accept: 1 × KIT for nobody', code: 'HOLD_NOT_FOUND' }],
    });
  });
});
