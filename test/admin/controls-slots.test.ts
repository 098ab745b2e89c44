import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSnapshot } from '../failures/snapshot.ts';
import { customer, seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';

let redis: TestRedis;
let server: TestServer;
let contract: ReturnType<typeof routeContract>;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  contract = routeContract(server.app);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

/** An admin request whose answer must match what its route declares (test/http/contract.ts). */
async function admin(
  method: string,
  path: string,
  options: { body?: unknown; idempotencyKey?: string } = {},
) {
  const res = await call(server.url, method, `/api/admin${path}`, { token: TEST_ADMIN_TOKEN, ...options });
  contract.check(method, `/api/admin${path}`, res.status, res.body);
  return res;
}
const book = (slotId: string, who: number | string) =>
  call(server.url, 'POST', '/api/bookings', {
    idempotencyKey: newKey('book'),
    body: { slotId, customer: customer(who) },
  });
const setCapacity = (slotId: string, capacity: number, key = newKey('cap')) =>
  admin('PUT', `/slots/${slotId}/capacity`, { idempotencyKey: key, body: { capacity } });
const adminSlot = async (eventId: string, slotId: string) => {
  const res = await admin('GET', `/events/${eventId}/slots?storeId=aiea`);
  expect(res.status).toBe(200);
  return res.body.slots.find((s: { id: string }) => s.id === slotId);
};

describe('admin slot controls', () => {
  it('lists an event’s slots with seats booked', async () => {
    const slotId = await slotTomorrow(server.url, 'list-ev');
    await book(slotId, 'list-1');
    expect(await adminSlot('list-ev', slotId)).toMatchObject({ capacity: 5, booked: 1, remaining: 4 });
    const unknown = await admin('GET', '/events/nope/slots');
    expect(unknown.body.code).toBe('EVENT_NOT_FOUND');
  });

  it('changes a slot’s capacity, never below what is booked', async () => {
    const slotId = await slotTomorrow(server.url, 'cap-ev');
    for (const n of [1, 2, 3]) expect((await book(slotId, `cap-${n}`)).status).toBe(201);
    const raised = await setCapacity(slotId, 8);
    expect(raised.status).toBe(200);
    expect(raised.body.slot).toMatchObject({ capacity: 8, booked: 3, remaining: 5 });
    const refused = await setCapacity(slotId, 2);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'CAPACITY_BELOW_BOOKED',
      details: { booked: 3, capacity: 8, requested: 2 },
    });
    expect(await adminSlot('cap-ev', slotId)).toMatchObject({ capacity: 8, booked: 3 });
    const exact = await setCapacity(slotId, 3);
    expect(exact.body.slot).toMatchObject({ capacity: 3, remaining: 0 });
    expect((await book(slotId, 'cap-4')).body.code).toBe('SLOT_FULL');
    const audit = await admin('GET', '/audit?eventId=cap-ev&type=slot');
    expect(audit.body.entries.map((e: { type: string }) => e.type)).toEqual([
      'slot.capacity_changed',
      'slot.capacity_changed',
    ]);
  });

  it('never leaves more bookings than seats when capacity is lowered during a rush', async () => {
    const slotId = await slotTomorrow(server.url, 'rush-ev');
    await setCapacity(slotId, 40);
    const bookings = Array.from({ length: 60 }, (_, i) => book(slotId, `rush-${i}`));
    const cuts = [30, 20, 10, 25].map((n) => setCapacity(slotId, n));
    const [booked, cut] = await Promise.all([Promise.all(bookings), Promise.all(cuts)]);
    const made = booked.filter((r) => r.status === 201).length;
    const slot = await adminSlot('rush-ev', slotId);
    expect(slot.booked).toBe(made);
    expect(slot.booked).toBeLessThanOrEqual(slot.capacity);
    for (const res of cut) expect([200, 409]).toContain(res.status);
  });

  it('names the slot and its bookings when a capacity change is refused', async () => {
    const slotId = await slotTomorrow(server.url, 'named-ev');
    for (const n of [1, 2]) expect((await book(slotId, `named-${n}`)).status).toBe(201);
    const refused = await setCapacity(slotId, 1);
    expect(refused.status).toBe(409);
    expect(refused.body.details).toMatchObject({ slotId, booked: 2, requested: 1 });
    expect(refused.body.message).toBe(
      `Slot ${slotId} already has 2 booked; it cannot have 1 seats. Nothing was changed.`,
    );
  });

  it('refuses to generate slots again below what is booked, changing nothing at any store', async () => {
    await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 1 }]);
    const slotId = await slotTomorrow(server.url, 'regen-ev');
    for (const n of [1, 2, 3]) expect((await book(slotId, `regen-${n}`)).status).toBe(201);
    const date = slotId.slice(-12, -4).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
    const plan = (capacity: number) => ({
      // kapolei first: its new slots must not be written when aiea's are refused.
      body: {
        storeIds: ['kapolei', 'aiea'],
        firstDate: date,
        days: 1,
        dayStart: '09:00',
        dayEnd: '10:00',
        capacity,
      },
    });
    const before = await redisSnapshot(redis.client());
    const refused = await admin('POST', '/events/regen-ev/slots', plan(2));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'CAPACITY_BELOW_BOOKED',
      details: { slotId, booked: 3, requested: 2 },
    });
    expect(refused.body.message).toContain(`Slot ${slotId} already has 3 booked`);
    expect(await redisSnapshot(redis.client())).toEqual(before);

    const exact = await admin('POST', '/events/regen-ev/slots', plan(3));
    expect(exact.status).toBe(201);
    expect(exact.body.slots).toBe(4);
    expect(await adminSlot('regen-ev', slotId)).toMatchObject({ capacity: 3, booked: 3, remaining: 0 });
    const kapolei = await admin('GET', `/events/regen-ev/slots?storeId=kapolei&date=${date}`);
    expect(kapolei.body.slots.map((s: { capacity: number }) => s.capacity)).toEqual([3, 3]);
  });

  it('never leaves more bookings than seats when slots are generated again during a rush', async () => {
    const slotId = await slotTomorrow(server.url, 'regen-rush-ev');
    await setCapacity(slotId, 40);
    const date = slotId.slice(-12, -4).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
    const bookings = Array.from({ length: 60 }, (_, i) => book(slotId, `regen-rush-${i}`));
    const cuts = [30, 20, 10, 25].map((capacity) =>
      admin('POST', '/events/regen-rush-ev/slots', {
        body: { storeIds: ['aiea'], firstDate: date, days: 1, dayStart: '09:00', dayEnd: '09:30', capacity },
      }),
    );
    const [booked, cut] = await Promise.all([Promise.all(bookings), Promise.all(cuts)]);
    const slot = await adminSlot('regen-rush-ev', slotId);
    expect(slot.booked).toBe(booked.filter((r) => r.status === 201).length);
    expect(slot.booked).toBeLessThanOrEqual(slot.capacity);
    for (const res of cut) expect([201, 409]).toContain(res.status);
  });

  it('generates up to 20,000 slots in one plan and refuses a larger plan, changing nothing', async () => {
    expect((await admin('POST', '/events', { body: { id: 'long-ev', name: 'Long' } })).status).toBe(201);
    const plan = (storeIds: string[]) => ({
      body: {
        storeIds,
        firstDate: '2031-03-01',
        days: 60,
        dayStart: '00:00',
        dayEnd: '23:55',
        slotMinutes: 5,
        capacity: 2,
      },
    });
    const before = await redisSnapshot(redis.client());
    const stores = Array.from({ length: 100 }, (_, i) => `store-${i}`);
    const refused = await admin('POST', '/events/long-ev/slots', plan(stores));
    expect(refused.status).toBe(400);
    expect(refused.body.details.issues[0].message).toContain('at most 20000 slots');
    expect(await redisSnapshot(redis.client())).toEqual(before);
    const accepted = await admin('POST', '/events/long-ev/slots', plan(['aiea']));
    expect(accepted.status).toBe(201);
    expect(accepted.body.slots).toBe(60 * 287);
  });

  it('closes a slot to new bookings and opens it again; bookings made stay', async () => {
    const slotId = await slotTomorrow(server.url, 'close-ev');
    expect((await book(slotId, 'close-1')).status).toBe(201);
    const closed = await admin('PUT', `/slots/${slotId}/closed`, {
      idempotencyKey: newKey('close'),
      body: { closed: true },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.slot).toMatchObject({ booked: 1, remaining: 0, closedAt: expect.any(Number) });
    const refused = await book(slotId, 'close-2');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SLOT_CLOSED', details: { closedByStore: true } });
    const publicView = await call(server.url, 'GET', '/api/events/close-ev/slots?storeId=aiea');
    expect(publicView.body.slots.find((s: { id: string }) => s.id === slotId).remaining).toBe(0);
    const reopened = await admin('PUT', `/slots/${slotId}/closed`, {
      idempotencyKey: newKey('open'),
      body: { closed: false },
    });
    expect(reopened.body.slot).toMatchObject({ booked: 1, remaining: 4 });
    expect(reopened.body.slot.closedAt).toBeUndefined();
    expect((await book(slotId, 'close-2')).status).toBe(201);
  });

  it('shows a slot’s bookings with customer names to admins only', async () => {
    const slotId = await slotTomorrow(server.url, 'names-ev');
    await book(slotId, 'Zed');
    const second = await book(slotId, 'Amy');
    const bookings = await admin('GET', `/slots/${slotId}/bookings`);
    expect(bookings.status).toBe(200);
    expect(bookings.body.bookings.map((b: { customer: { name: string } }) => b.customer.name)).toEqual([
      'Customer Amy',
      'Customer Zed',
    ]);
    expect(bookings.body.bookings[0]).toMatchObject({
      id: second.body.id,
      status: 'booked',
      customer: { email: 'customerAmy@example.com' },
    });
    const asCustomer = await call(server.url, 'GET', `/api/admin/slots/${slotId}/bookings`, {
      token: second.body.manageToken,
    });
    expect(asCustomer.status).toBe(401);
    const missing = await admin('GET', '/slots/names-ev.aiea.203001010900/bookings');
    expect(missing.body.code).toBe('SLOT_NOT_FOUND');
  });

  it('refuses a capacity change without an idempotency key or with a bad body', async () => {
    const slotId = await slotTomorrow(server.url, 'bad-ev');
    const noKey = await admin('PUT', `/slots/${slotId}/capacity`, { body: { capacity: 4 } });
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
    const negative = await setCapacity(slotId, -1);
    expect(negative.body.code).toBe('VALIDATION_FAILED');
  });
});
