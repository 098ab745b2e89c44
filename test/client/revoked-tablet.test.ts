import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TabletDb } from '../../client/offline/db.ts';
import { holdBackOfflineSales } from '../../client/offline/revoked-tablet.ts';
import { Tablet } from '../../client/offline/tablet.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

/**
 * Issue 15 §1 on the tablet: once an admin revokes it, it erases what it knew of the store
 * (customers' names and contacts with it) but its own unsent actions, and delivers the offline
 * sales it made before with the credential that now opens only the lease report.
 */

let redis: TestRedis;
let server: TestServer;
const tablets: Tablet[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [
    { sku: 'CHG', onHand: 20 },
    { sku: 'CASE', onHand: 5 },
  ]);
});
afterEach(() => {
  for (const t of tablets.splice(0)) t.stop();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const chg = async () =>
  (await call(server.url, 'GET', '/api/admin/stores/aiea/products?q=CHG', { token: TEST_ADMIN_TOKEN })).body
    .products[0];

describe('a revoked tablet', () => {
  it('erases the store but its unsent actions, and delivers its offline sale once, by the report-only route', async () => {
    const db = new TabletDb('revoked-tablet-1');
    let online = true;
    const options = { WebSocketPolyfill: WebSocket, isOnline: () => online };
    const tablet = new Tablet(db, server.url, 'test', options);
    tablets.push(tablet);
    await tablet.start();
    const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
      token: TEST_ADMIN_TOKEN,
    });
    await tablet.enroll(code.body.code, 'Second tablet');
    await waitUntil(
      async () => tablet.getSnapshot().sync,
      (s) => s === 'synced',
    );
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('hold'),
      body: { storeId: 'aiea', sku: 'CASE', quantity: 1, customer: customer('Kai') },
    });
    expect(hold.status).toBe(201);
    await waitUntil(
      async () => tablet.getSnapshot().holdLog.length,
      (n) => n === 1,
    );
    expect((await tablet.keepForOffline('CHG', 2)).kind).toBe('done');
    await waitUntil(
      async () => tablet.getSnapshot().leases.CHG?.quantity,
      (n) => n === 2,
    );

    // Offline: one sale from the allowance, and a receive.
    online = false;
    expect(await tablet.remove('sale', 'CHG', 1)).toEqual({ kind: 'queued', offline: true });
    await tablet.receive('CASE', 3);
    expect(tablet.getSnapshot().pending.map((e) => e.command.name)).toEqual([
      'lease.report',
      'stock.receive',
    ]);

    const deviceId = tablet.getSnapshot().enrollment?.deviceId;
    // The store's only tablet, with a pickup waiting: the admin confirmed it.
    const revoked = await call(
      server.url,
      'POST',
      `/api/admin/devices/${deviceId}/revoke?confirmWaitingPickups=true`,
      {
        token: TEST_ADMIN_TOKEN,
      },
    );
    expect(revoked.body.unreportedUnits).toBe(2);
    expect(await chg()).toMatchObject({ onHand: 20, leased: 2, available: 18 });

    // The server closes its socket: the tablet learns it was removed, its outbox sends nothing
    // more, and the removed tablet delivers the sale itself, by the report-only route.
    const done = await waitUntil(
      async () => tablet.getSnapshot().delivery,
      (d) => typeof d === 'object',
      10_000,
    );
    expect(done).toMatchObject({ delivered: 1, refused: 0, unreachable: false });
    expect(tablet.getSnapshot()).toMatchObject({ revoked: true, sync: 'removed', holdLog: [], leases: {} });
    expect(tablet.getSnapshot().pending.map((e) => e.label)).toEqual(['Receive 3 × CASE']);
    expect(await chg()).toMatchObject({ onHand: 19, leased: 1, available: 18 });
    // Nothing of the store is left on disk: no hold log (names, emails, phones), no document.
    expect(await db.holdLog.count()).toBe(0);
    expect(await db.docUpdates.count()).toBe(0);
    expect(await db.leases.count()).toBe(0);
    expect(JSON.stringify(await db.outbox.toArray())).not.toContain('customer');

    // Again: nothing is sent twice.
    expect(await tablet.deliverOfflineSales()).toEqual({ delivered: 0, refused: 0, unreachable: false });
    expect(await chg()).toMatchObject({ onHand: 19, leased: 1 });

    // A reload opens on the removed screen, without the store.
    tablet.stop();
    const reloaded = new Tablet(db, server.url, 'test', options);
    tablets.push(reloaded);
    await reloaded.start();
    expect(reloaded.getSnapshot()).toMatchObject({ revoked: true, sync: 'removed' });
    expect(reloaded.document).toBeUndefined();
    expect(reloaded.holds()).toEqual([]);
  });

  it('keeps an offline sale it could not deliver from going out under a new enrollment', async () => {
    const db = new TabletDb('revoked-tablet-2');
    const base = { createdAt: 1, attempts: 0, nextAttemptAt: 1, state: 'pending' as const };
    await db.outbox.bulkAdd([
      {
        ...base,
        key: 'sale-key-0001',
        label: 'Sell 1 × CHG (offline, from this tablet’s allowance)',
        command: {
          name: 'lease.report',
          args: {
            sku: 'CHG',
            actions: [{ id: 'sale-0001', kind: 'sale', quantity: 1, at: 1 }],
            returnQuantity: 0,
          },
        },
      },
      {
        ...base,
        key: 'receive-key-0001',
        label: 'Receive 3 × CASE',
        command: { name: 'stock.receive', args: { sku: 'CASE', quantity: 3 } },
      },
    ]);
    await holdBackOfflineSales(db, 5);
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => [e.key, e.state, e.error?.code])).toEqual([
      ['sale-key-0001', 'failed', 'DEVICE_REVOKED'],
      ['receive-key-0001', 'pending', undefined],
    ]);
  });
});
