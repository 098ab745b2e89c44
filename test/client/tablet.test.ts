import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TabletDb } from '../../client/offline/db.ts';
import { Tablet } from '../../client/offline/tablet.ts';
import { customer, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let tablet: Tablet | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
  await call(server.url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: 'ev', name: 'Ev' },
  });
});
afterAll(async () => {
  tablet?.stop();
  await server?.close();
  await redis?.stop();
});

describe('the tablet controller', () => {
  it('acknowledges new holds and bookings of its store by itself, so customers see "received by the store"', async () => {
    tablet = new Tablet(new TabletDb('tablet-ack'), server.url, 'test', {
      WebSocketPolyfill: WebSocket,
      isOnline: () => true,
    });
    await tablet.start();
    const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
      token: TEST_ADMIN_TOKEN,
    });
    await tablet.enroll(code.body.code, 'Counter');
    const connected = tablet;
    await waitUntil(
      async () => connected.getSnapshot().sync,
      (s) => s === 'synced',
    );

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
    expect(heldView.body.acknowledgedBy).toBe(connected.getSnapshot().enrollment?.deviceId);
    await waitUntil(
      () => call(server.url, 'GET', `/api/bookings/${booking.id}`, { token: booking.manageToken }),
      (r) => r.body.storeAcknowledgement.status === 'received',
    );
  });
});
