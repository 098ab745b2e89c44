/**
 * The store document inside the whole server (HTTP API, sweeper-free): Redis's numbers, holds
 * and bookings mirrored into `scarce`, the catalog into `products`, and staff edits back out.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { readScarce, readScarcePlaneOf } from '../../client/offline/store-doc.ts';
import { SCARCE_VERSION } from '../../shared/scarce.ts';
import { PRODUCTS_MAP, SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';
import { customer, enrollTablet, seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { type Client, connectClient, storedDoc, waitUntil } from '../sync/harness.ts';

let redis: TestRedis;
/** One connection for the test's own reads and writes. */
let db: Redis;
let server: TestServer;
let token: string;
const clients: Client[] = [];
const extraServers: TestServer[] = [];

const open = (base: string) => {
  const client = connectClient(base, 'aiea', token);
  clients.push(client);
  return client;
};
const productName = (doc: Y.Doc, sku: string) =>
  doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(sku)?.get('name');
const holdOf = (doc: Y.Doc, id: string) => readScarcePlaneOf(doc).holds[id];
const createHold = (quantity: number, n: number) =>
  call(server.url, 'POST', '/api/holds', {
    idempotencyKey: newKey(),
    body: { storeId: 'aiea', sku: 'KIT', quantity, customer: customer(n) },
  });

beforeAll(async () => {
  redis = await startTestRedis();
  db = redis.client();
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
  token = (await enrollTablet(server.url, 'aiea')).token;
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of extraServers.splice(0)) await s.close();
  await server.close();
});

describe('the store document mirrors Redis', () => {
  it('gives a tablet its store’s products and the server’s numbers in the first sync', async () => {
    const client = open(server.url);
    await client.synced;
    expect(productName(client.doc, 'KIT')).toBe('Trade-in kit');
    expect(readScarce(client.doc, 'stock:KIT')).toMatchObject({ onHand: 5, available: 5 });
  });

  it('mirrors a new pickup hold and the changed numbers to connected tablets within a second', async () => {
    const a = open(server.url);
    await a.synced;
    const hold = await createHold(2, 1);
    const started = Date.now();
    await waitUntil(
      () => holdOf(a.doc, hold.body.id),
      (h) => h !== undefined,
      1000,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(readScarce(a.doc, 'stock:KIT')).toMatchObject({ held: 2, available: 3 });
  });

  it('mirrors bookings of an event created after the tablet connected', async () => {
    const a = open(server.url);
    await a.synced;
    const slotId = await slotTomorrow(server.url, 'late');
    const booking = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId, customer: customer(3) },
    });
    expect(booking.status).toBe(201);
    await waitUntil(
      () => readScarcePlaneOf(a.doc).bookings[booking.body.id],
      (b) => b !== undefined,
    );
  });

  it('takes a hold off the tablets when it is cancelled, rewriting only that hold and its product', async () => {
    const a = open(server.url);
    await a.synced;
    const kept = await createHold(1, 4);
    const cancelled = await createHold(1, 5);
    await waitUntil(
      () => holdOf(a.doc, cancelled.body.id),
      (h) => h !== undefined,
    );
    const cancel = await call(server.url, 'DELETE', `/api/holds/${cancelled.body.id}`, {
      token: cancelled.body.manageToken,
      idempotencyKey: newKey(),
    });
    expect(cancel.status).toBe(200);
    await waitUntil(
      async () => holdOf(a.doc, cancelled.body.id),
      (h) => h === undefined,
    );
    expect(holdOf(a.doc, kept.body.id)?.status).toBe('held');
    expect(readScarce(a.doc, 'stock:KIT')).toMatchObject({ held: 1, available: 4 });
  });

  it('drops values of an older layout when it rebuilds', async () => {
    const a = open(server.url);
    await a.synced;
    await server.sync.writeServerView('aiea', (view) => view.set('holds', { old: true }));
    a.close();
    // The last socket left: the document is freed; the next one opens it again and rebuilds.
    await waitUntil(
      async () => server.sync.documentOf('aiea'),
      (doc) => doc === undefined,
    );
    const b = open(server.url);
    await b.synced;
    await waitUntil(
      async () => readScarce(b.doc, 'holds'),
      (value) => value === undefined,
    );
    expect(readScarcePlaneOf(b.doc).version).toBe(SCARCE_VERSION);
  });

  it('writes staff edits of a product name back to the public product list', async () => {
    const a = open(server.url);
    await a.synced;
    a.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.set('name', 'Clear case');
    await waitUntil(
      async () =>
        (await call(server.url, 'GET', '/api/admin/stores/aiea/products?q=CASE', { token: TEST_ADMIN_TOKEN }))
          .body.products[0]?.name,
      (name) => name === 'Clear case',
    );
  });

  it('has one instance project a store, and another take over when it stops', async () => {
    const second = await startTestServer(redis);
    extraServers.push(second);
    const onFirst = open(server.url);
    const onSecond = open(second.url);
    await Promise.all([onFirst.synced, onSecond.synced]);
    const hold = await createHold(1, 2);
    await waitUntil(
      () => holdOf(onSecond.doc, hold.body.id),
      (h) => h !== undefined,
    );
    await server.sync.documentOf('aiea')?.flushed();
    await second.sync.documentOf('aiea')?.flushed();
    // Two mirroring instances would each have written their own entry of these keys.
    const entries = (await storedDoc(db, 'aiea')).getArray<ScarceEntry>(SCARCE_ARRAY).toArray();
    expect(entries.filter((e) => e.key === `hold:${hold.body.id}`)).toHaveLength(1);
    expect(entries.filter((e) => e.key === 'stock:KIT')).toHaveLength(1);

    onFirst.close();
    await server.sync.close();
    const later = await createHold(1, 3);
    await waitUntil(
      () => holdOf(onSecond.doc, later.body.id),
      (h) => h !== undefined,
      6000,
    );
  });
});
