/**
 * The reads behind two of the console's screens (issue 15 §8, §9): the days an event has slots
 * on (the slot list shows one day at a time), and which skus of a CSV a store already has
 * (the import preview says which rows are new and which overwrite a count). Both read only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateInZone } from '../../shared/time.ts';
import { redisSnapshot } from '../failures/snapshot.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';

let redis: TestRedis;
let server: TestServer;
let contract: ReturnType<typeof routeContract>;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  contract = routeContract(server.app);
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 5, name: 'Clear case' },
  ]);
  // A store four hours ahead of Honolulu: its days begin and end at other instants.
  const la = await call(server.url, 'PUT', '/api/admin/stores/la', {
    token: TEST_ADMIN_TOKEN,
    body: {
      id: 'la',
      name: 'Los Angeles',
      address: '1 Test St',
      phone: '213-555-0100',
      timeZone: 'America/Los_Angeles',
      latitude: 34.05,
      longitude: -118.24,
    },
  });
  expect(la.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await call(server.url, method, `/api/admin${path}`, {
    token: TEST_ADMIN_TOKEN,
    ...(body === undefined ? {} : { body }),
  });
  contract.check(method, `/api/admin${path}`, res.status, res.body);
  return res;
}

describe('the days of an event’s slots', () => {
  it('lists each store-local day with its number of slots, at every store or one', async () => {
    expect((await admin('POST', '/events', { id: 'days-ev', name: 'Days' })).status).toBe(201);
    const first = addDays(dateInZone(Date.now(), 'Pacific/Honolulu'), 3);
    const plan = await admin('POST', '/events/days-ev/slots', {
      storeIds: ['aiea', 'la'],
      firstDate: first,
      days: 3,
      dayStart: '09:00',
      dayEnd: '17:00',
      slotMinutes: 30,
      capacity: 4,
    });
    expect(plan.body.slots).toBe(96);
    const days = [first, addDays(first, 1), addDays(first, 2)];

    const all = await admin('GET', '/events/days-ev/slot-days');
    expect(all.status).toBe(200);
    expect(all.body.days).toEqual(days.map((date) => ({ date, slots: 32 })));
    const la = await admin('GET', '/events/days-ev/slot-days?storeId=la');
    expect(la.body.days).toEqual(days.map((date) => ({ date, slots: 16 })));

    // One day's list holds exactly that day's slots, each on that day in its own store's zone.
    const second = await admin('GET', `/events/days-ev/slots?date=${days[1]}`);
    expect(second.body.slots).toHaveLength(32);
    for (const slot of second.body.slots as { storeId: string; startsAt: number }[]) {
      const zone = slot.storeId === 'la' ? 'America/Los_Angeles' : 'Pacific/Honolulu';
      expect(dateInZone(slot.startsAt, zone)).toBe(days[1]);
    }
  });

  it('has no days for an event without slots, and says so for an unknown event or store', async () => {
    expect((await admin('POST', '/events', { id: 'empty-ev', name: 'Empty' })).status).toBe(201);
    expect((await admin('GET', '/events/empty-ev/slot-days')).body).toEqual({ days: [] });
    expect((await admin('GET', '/events/nope/slot-days')).body.code).toBe('EVENT_NOT_FOUND');
    expect((await admin('GET', '/events/empty-ev/slot-days?storeId=nowhere')).body.code).toBe(
      'STORE_NOT_FOUND',
    );
  });
});

describe('looking up a file’s skus in a store', () => {
  it('answers the skus the store has with their names and counts, and changes nothing', async () => {
    const before = await redisSnapshot(redis.client());
    const found = await admin('POST', '/stores/aiea/products/lookup', { skus: ['KIT', 'NEW-1', 'KIT'] });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ products: [{ sku: 'KIT', name: 'Trade-in kit', onHand: 10 }] });
    expect(await redisSnapshot(redis.client())).toEqual(before);
  });

  it('refuses a malformed sku or an unknown store, changing nothing', async () => {
    const before = await redisSnapshot(redis.client());
    const bad = await admin('POST', '/stores/aiea/products/lookup', { skus: ['has space'] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const unknown = await admin('POST', '/stores/nowhere/products/lookup', { skus: ['KIT'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('STORE_NOT_FOUND');
    expect(await redisSnapshot(redis.client())).toEqual(before);
  });
});
