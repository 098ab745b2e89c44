/**
 * The contract of the scarce-unit scripts and the store documents, run unchanged on one Redis
 * and on a Redis Cluster (test/helpers/backends.ts): the races of issue 2, each capability's
 * main path, live updates through the audit-stream hub, and two server instances side by side.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { readScarcePlaneOf } from '../../client/offline/store-doc.ts';
import { makeSlotId } from '../../shared/api/bookings.ts';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';
import { BACKENDS, type TestBackend } from '../helpers/backends.ts';
import { customer, enrollTablet, HNL, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { connectDoc } from '../helpers/tablet-client.ts';

describe.each(BACKENDS)('on $name', ({ start }) => {
  let backend: TestBackend;
  let server: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    backend = await start();
    server = await startTestServer(backend);
    second = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await server?.close();
    await backend?.stop();
  });
  beforeEach(async () => {
    await backend.flush();
    await seedStore(server.url, 'aiea', [{ sku: 'IPHONE-TRADEIN-KIT', onHand: 100 }]);
    await seedStore(server.url, 'kapolei', [{ sku: 'CASE', onHand: 100 }]);
  });

  const hold = (url: string, storeId: string, sku: string, n: number | string, key = newKey(`hold-${n}`)) =>
    call(url, 'POST', '/api/holds', {
      idempotencyKey: key,
      body: { storeId, sku, quantity: 1, customer: customer(n) },
    });
  const productOf = async (storeId: string) =>
    (await call(server.url, 'GET', `/api/admin/stores/${storeId}/products`, { token: TEST_ADMIN_TOKEN })).body
      .products[0];

  it('makes exactly 100 holds of 2,000 concurrent requests for 100 units, over two instances', async () => {
    const replies = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        hold(i % 2 ? server.url : second.url, 'aiea', 'IPHONE-TRADEIN-KIT', i),
      ),
    );
    const byStatus: Record<number, number> = {};
    for (const r of replies) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(byStatus).toEqual({ 201: 100, 409: 1900 });
    expect(new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(100);
    expect(await productOf('aiea')).toMatchObject({ onHand: 100, held: 100, available: 0 });
  });

  it('makes one hold of 50 concurrent requests with one idempotency key', async () => {
    const key = newKey('same');
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        hold(i % 2 ? server.url : second.url, 'kapolei', 'CASE', 'same', key),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    expect(await productOf('kapolei')).toMatchObject({ held: 1, available: 99 });
  });

  it('makes exactly 100 bookings of 2,000 concurrent requests for 100 seats', async () => {
    const date = addDays(dateInZone(Date.now(), HNL.timeZone), 1);
    const admin = { token: TEST_ADMIN_TOKEN };
    expect(
      (
        await call(server.url, 'POST', '/api/admin/events', {
          ...admin,
          body: { id: 'launch', name: 'Launch' },
        })
      ).status,
    ).toBe(201);
    const slots = await call(server.url, 'POST', '/api/admin/events/launch/slots', {
      ...admin,
      body: {
        storeIds: ['aiea'],
        firstDate: date,
        days: 1,
        dayStart: '09:00',
        dayEnd: '09:30',
        capacity: 100,
      },
    });
    expect(slots.status).toBe(201);
    const slotId = makeSlotId('launch', 'aiea', date, '09:00');
    const replies = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        call(i % 2 ? server.url : second.url, 'POST', '/api/bookings', {
          idempotencyKey: newKey(`book-${i}`),
          body: { slotId, customer: customer(`b${i}`) },
        }),
      ),
    );
    const byStatus: Record<number, number> = {};
    for (const r of replies) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(byStatus).toEqual({ 201: 100, 409: 1900 });
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_FULL')).toBe(true);
    const listed = await call(server.url, 'GET', `/api/events/launch/slots?storeId=aiea&date=${date}`);
    expect(listed.body.slots[0]).toMatchObject({ id: slotId, remaining: 0 });
  });

  it('shows a tablet on one instance a hold made through the other, within a second', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const doc = connectDoc(second.url, 'aiea', tablet.token);
    try {
      await doc.synced;
      const made = await hold(server.url, 'aiea', 'IPHONE-TRADEIN-KIT', 'live');
      expect(made.status).toBe(201);
      await waitUntil(
        async () => readScarcePlaneOf(doc.doc).holds[made.body.id]?.status,
        (status) => status === 'held',
        1_000,
      );
    } finally {
      doc.close();
    }
  });

  it('syncs a tablet on each instance: an edit on one reaches the other', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const a = connectDoc(server.url, 'aiea', tablet.token);
    const b = connectDoc(second.url, 'aiea', tablet.token);
    try {
      await Promise.all([a.synced, b.synced]);
      a.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('IPHONE-TRADEIN-KIT')?.set('shelf', 'A-12');
      await waitUntil(
        async () => b.doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('IPHONE-TRADEIN-KIT')?.get('shelf'),
        (shelf) => shelf === 'A-12',
        2_000,
      );
    } finally {
      a.close();
      b.close();
    }
  });

  it('caps the units one customer holds at once across stores, over two instances', async () => {
    await seedStore(server.url, 'kapolei', [{ sku: 'IPHONE-TRADEIN-KIT', onHand: 100 }]);
    const caps = await call(server.url, 'PUT', '/api/admin/products/IPHONE-TRADEIN-KIT/hold-limit', {
      token: TEST_ADMIN_TOKEN,
      body: { maxPerHold: 1, maxHeldAtOnce: 2 },
    });
    expect(caps.status).toBe(200);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        hold(i % 2 ? server.url : second.url, i % 4 < 2 ? 'aiea' : 'kapolei', 'IPHONE-TRADEIN-KIT', 'one'),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'HOLD_LIMIT_REACHED')).toBe(
      true,
    );
  });

  it('runs a waiting room from two instances: each customer admitted once, only they book', async () => {
    const slotDate = addDays(dateInZone(Date.now(), HNL.timeZone), 1);
    await call(server.url, 'POST', '/api/admin/events', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'room', name: 'Room' },
    });
    await call(server.url, 'POST', '/api/admin/events/room/slots', {
      token: TEST_ADMIN_TOKEN,
      body: {
        storeIds: ['aiea'],
        firstDate: slotDate,
        days: 1,
        dayStart: '09:00',
        dayEnd: '09:30',
        capacity: 50,
      },
    });
    const room = await call(server.url, 'PUT', '/api/admin/events/room/waiting-room', {
      token: TEST_ADMIN_TOKEN,
      body: {
        enabled: true,
        admissionsPerMinute: 6_000,
        ticketMinutes: 5,
        opensAt: slotOpensAt(slotDate, HNL.timeZone),
        placesPerConnection: 50,
      },
    });
    expect(room.status).toBe(200);
    const tokens: string[] = [];
    for (let n = 0; n < 30; n++) {
      const joined = await call(
        n % 2 ? server.url : second.url,
        'POST',
        '/api/events/room/waiting-room/places',
        {
          idempotencyKey: newKey('join'),
          body: { customer: customer(`room-${n}`) },
        },
      );
      expect(joined.status).toBe(201);
      tokens.push(joined.body.token);
    }
    // Both instances' tickers run the admission step; together they admit each customer once.
    const admin = await waitUntil(
      async () =>
        (await call(server.url, 'GET', '/api/admin/events/room/waiting-room', { token: TEST_ADMIN_TOKEN }))
          .body,
      (r) => r.waiting === 0,
    );
    expect(admin.admitted).toBe(30);
    const slotId = makeSlotId('room', 'aiea', slotDate, '09:00');
    const book = (n: number, ticket?: string) =>
      call(n % 2 ? second.url : server.url, 'POST', '/api/bookings', {
        idempotencyKey: newKey('book'),
        body: { slotId, customer: customer(`room-${n}`) },
        ...(ticket ? { headers: { 'waiting-room-ticket': ticket } } : {}),
      });
    expect((await book(0)).body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
    expect((await book(0, tokens[1])).body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
    const booked = await Promise.all(tokens.map((t, n) => book(n, t)));
    expect(booked.filter((b) => b.status === 201)).toHaveLength(30);
  });
});
