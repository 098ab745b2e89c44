import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { readScarce } from '../../client/offline/store-doc.ts';
import { docKeys } from '../../server/sync/doc-store.ts';
import { PRODUCTS_MAP, SCARCE_ARRAY, type ScarceEntry, SYNC_CLOSE } from '../../shared/store-doc.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { customer, enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { connectDoc, type DocClient, upgradeStatus } from '../helpers/tablet-client.ts';

let redis: TestRedis;
let server: TestServer;
let tablet: { token: string; deviceId: string };
const clients: DocClient[] = [];
const extraServers: TestServer[] = [];

const open = (base: string, token = tablet.token, store = 'aiea') => {
  const client = connectDoc(base, store, token);
  clients.push(client);
  return client;
};
const productName = (doc: Y.Doc, sku: string) =>
  doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(sku)?.get('name');

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 5, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 2, name: 'Case' },
  ]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 1 }]);
  tablet = await enrollTablet(server.url, 'aiea');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of extraServers.splice(0)) await s.close();
  await server.close();
});

describe('sync endpoint /sync/:storeId', () => {
  it('gives a tablet of the store its products and the server’s numbers in the first sync', async () => {
    const client = open(server.url);
    await client.synced;
    expect(productName(client.doc, 'KIT')).toBe('Trade-in kit');
    expect(readScarce(client.doc, 'stock:KIT')).toMatchObject({ onHand: 5, available: 5 });
  });

  it('refuses at the upgrade anyone but a tablet of that store or an admin', async () => {
    const ws = server.url.replace('http', 'ws');
    const other = await enrollTablet(server.url, 'kapolei');
    expect(await upgradeStatus(`${ws}/sync/aiea?token=${other.token}`)).toBe(403);
    expect(await upgradeStatus(`${ws}/sync/aiea`)).toBe(401);
    expect(await upgradeStatus(`${ws}/sync/aiea?token=dev_${tablet.deviceId}.${'0'.repeat(48)}`)).toBe(401);
    const lost = await enrollTablet(server.url, 'aiea');
    await call(server.url, 'POST', `/api/admin/devices/${lost.deviceId}/revoke`, { token: TEST_ADMIN_TOKEN });
    expect(await upgradeStatus(`${ws}/sync/aiea?token=${lost.token}`)).toBe(401);
    expect(await upgradeStatus(`${ws}/sync/aiea?token=${tablet.token}`)).toBe(101);
  });

  it('closes the socket of a tablet revoked while connected, within seconds', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/aiea?token=${tablet.token}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await call(server.url, 'POST', `/api/admin/devices/${tablet.deviceId}/revoke`, {
      token: TEST_ADMIN_TOKEN,
    });
    const started = Date.now();
    expect(await closed).toBe(SYNC_CLOSE.DEVICE_REVOKED);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps edits in Redis: a new server instance serves them in its very first answer', async () => {
    const writer = open(server.url);
    await writer.synced;
    writer.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('KIT')?.set('shelf', 'A-12');
    await waitUntil(
      async () => (await redis.client().llen(docKeys('aiea').updates)) > 0,
      (has) => has,
    );
    writer.close();
    await server.sync.close();

    const restarted = await startTestServer(redis);
    extraServers.push(restarted);
    const reader = open(restarted.url);
    // Checked at the moment of the first "synced": the document must never be empty first.
    const firstView = await new Promise<string | undefined>((resolve) => {
      reader.provider.on('sync', (isSynced: boolean) => {
        if (isSynced) resolve(reader.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('KIT')?.get('shelf'));
      });
    });
    expect(firstView).toBe('A-12');
  });

  it('relays an edit made through one instance to a tablet on another instance', async () => {
    const second = await startTestServer(redis);
    extraServers.push(second);
    const a = open(server.url);
    const b = open(second.url);
    await Promise.all([a.synced, b.synced]);
    a.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.set('notes', 'fragile');
    await waitUntil(
      async () => b.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.get('notes'),
      (v) => v === 'fragile',
    );
  });

  it('reverts a tablet’s write to the server-owned scarce numbers', async () => {
    const a = open(server.url);
    const b = open(server.url);
    await Promise.all([a.synced, b.synced]);
    // A tablet appends a forged entry; the rightmost entry would win if the server let it stand.
    a.doc
      .getArray<ScarceEntry>(SCARCE_ARRAY)
      .push([{ key: 'stock:KIT', val: { sku: 'KIT', onHand: 999, available: 999 } }]);
    expect(readScarce<{ onHand: number }>(a.doc, 'stock:KIT')?.onHand).toBe(999);
    await waitUntil(
      async () => readScarce<{ onHand: number }>(a.doc, 'stock:KIT')?.onHand,
      (n) => n === 5,
    );
    await waitUntil(
      async () => readScarce<{ onHand: number }>(b.doc, 'stock:KIT')?.onHand,
      (n) => n === 5,
    );
  });

  it('mirrors a new pickup hold and the changed numbers to connected tablets within a second', async () => {
    const a = open(server.url);
    await a.synced;
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 2, customer: customer(1) },
    });
    const started = Date.now();
    await waitUntil(
      async () => readScarce<Record<string, unknown>>(a.doc, 'holds')?.[hold.body.id],
      (h) => h !== undefined,
      1000,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(readScarce(a.doc, 'stock:KIT')).toMatchObject({ held: 2, available: 3 });
  });

  it('mirrors bookings of an event created after the tablet connected', async () => {
    const a = open(server.url);
    await a.synced;
    await call(server.url, 'POST', '/api/admin/events', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'late', name: 'Late' },
    });
    const date = addDays(dateInZone(Date.now(), 'Pacific/Honolulu'), 1);
    await call(server.url, 'POST', '/api/admin/events/late/slots', {
      token: TEST_ADMIN_TOKEN,
      body: { storeIds: ['aiea'], firstDate: date, days: 1, dayStart: '09:00', dayEnd: '09:30', capacity: 5 },
    });
    const booking = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId: `late.aiea.${date.replaceAll('-', '')}0900`, customer: customer(3) },
    });
    expect(booking.status).toBe(201);
    await waitUntil(
      async () => readScarce<Record<string, unknown>>(a.doc, 'bookings')?.[booking.body.id],
      (b) => b !== undefined,
    );
  });

  it('lets an admin read the document but not change it', async () => {
    const admin = open(server.url, TEST_ADMIN_TOKEN);
    const staff = open(server.url);
    await Promise.all([admin.synced, staff.synced]);
    expect(productName(admin.doc, 'KIT')).toBe('Trade-in kit');
    admin.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('KIT')?.set('name', 'Renamed by admin');
    staff.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.set('name', 'Case, black');
    await waitUntil(
      async () => productName(admin.doc, 'CASE'),
      (name) => name === 'Case, black',
    );
    expect(productName(staff.doc, 'KIT')).toBe('Trade-in kit');
  });

  it('writes staff edits of a product name back to the public product list', async () => {
    const a = open(server.url);
    await a.synced;
    a.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.set('name', 'Clear case');
    await waitUntil(
      async () => (await call(server.url, 'GET', '/api/stores/aiea/products?q=CASE')).body.products[0]?.name,
      (name) => name === 'Clear case',
    );
  });
});
