import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchiveLag } from '../../server/ledger/archiver.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { customer, enrollTablet, HNL, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

/** Issue 17 §3: reports from the ledger, per store and day in the store's time. */
let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
let tablet: { token: string; deviceId: string };
const today = () => dateInZone(Date.now(), HNL.timeZone);

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  server = await startTestServer(
    redis,
    {},
    { ledger: pg.db(), archiver: { blockMs: 100, refreshStreamsMs: 100 } },
  );
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 20 }]);
  tablet = await enrollTablet(server.url, 'aiea');
  const staff = (path: string, body?: object) =>
    call(server.url, 'POST', `/api/staff/aiea${path}`, {
      token: tablet.token,
      idempotencyKey: newKey('staff'),
      ...(body ? { body } : {}),
    });
  const hold = async () => {
    const res = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer('r') },
      idempotencyKey: newKey('hold'),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; manageToken: string };
  };
  // Two holds collected, one cancelled, one left waiting.
  for (let i = 0; i < 2; i++) {
    const h = await hold();
    expect(
      (
        await call(server.url, 'POST', `/api/holds/${h.id}/confirm`, {
          token: h.manageToken,
          idempotencyKey: newKey('c'),
        })
      ).status,
    ).toBe(200);
    expect((await staff(`/holds/${h.id}/pick`)).status).toBe(200);
    expect((await staff(`/holds/${h.id}/hand-over`)).status).toBe(200);
  }
  const gone = await hold();
  expect(
    (
      await call(server.url, 'DELETE', `/api/holds/${gone.id}`, {
        token: gone.manageToken,
        idempotencyKey: newKey('x'),
      })
    ).status,
  ).toBe(200);
  await hold();
  expect((await staff('/stock/KIT/receive', { quantity: 7 })).status).toBe(200);
  expect((await staff('/stock/KIT/write-off', { quantity: 2, reason: 'damaged' })).status).toBe(200);
  expect((await staff('/stock/KIT/count', { counted: 10, lastSeen: 13 })).status).toBe(200);
  // A booking at the store.
  const slotId = await slotTomorrow(server.url, 'launch');
  const booked = await call(server.url, 'POST', '/api/bookings', {
    body: { slotId, customer: customer('b') },
    idempotencyKey: newKey('book'),
  });
  expect(booked.status).toBe(201);
  await waitUntil(
    () => readArchiveLag(server.deps),
    (lag) => lag.entries === 0,
    10_000,
  );
});
afterAll(async () => {
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
});

const report = (query: string) =>
  call(server.url, 'GET', `/api/admin/reports?${query}`, { token: TEST_ADMIN_TOKEN });

describe('GET /api/admin/reports', () => {
  it('counts a store’s day of holds, pickups, receipts and shrinkage per tablet, in store time', async () => {
    const res = await report(`from=${today()}&to=${today()}&storeId=aiea`);
    expect(res.status).toBe(200);
    const [store] = res.body.stores;
    expect(store.timeZone).toBe(HNL.timeZone);
    expect(store.days).toEqual([
      {
        date: today(),
        holdsMade: 4,
        confirmed: 2,
        collected: 2,
        expired: 0,
        cancelled: 1,
        medianMinutesToPickup: expect.any(Number),
        unitsReceived: 7,
      },
    ]);
    expect(store.tablets).toEqual([{ deviceId: tablet.deviceId, writtenOff: 2, countShortfall: 3 }]);
    expect(store.events).toEqual([
      { eventId: 'launch', date: today(), bookings: 1, checkIns: 0, noShows: 0, cancellations: 0 },
    ]);
  });

  it('has nothing for days outside the range, and refuses a range that ends before it starts', async () => {
    const tomorrow = addDays(today(), 1);
    const later = await report(`from=${tomorrow}&to=${tomorrow}`);
    expect(later.body.stores[0]).toMatchObject({ days: [], events: [], tablets: [] });
    expect((await report(`from=${tomorrow}&to=${today()}`)).status).toBe(400);
    expect((await call(server.url, 'GET', `/api/admin/reports?from=${today()}&to=${today()}`)).status).toBe(
      401,
    );
  });
});
