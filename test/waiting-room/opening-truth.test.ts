/**
 * Issue 16 §1 and §5 through the API: a waiting room opens at a release or not at all; "every
 * spot is taken" comes from the counters; shared networks do not lock people out, and a second
 * device with the same email sees its place.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tickWaitingRoom } from '../../server/waiting-room/room.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';
import { manualClock } from '../helpers/clock.ts';
import { HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

const EVENT = 'launch';
const MINUTE_MS = 60_000;
const releaseDate = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
const T0 = slotOpensAt(releaseDate, HNL.timeZone);
const admin = { token: TEST_ADMIN_TOKEN };

let redis: TestRedis;
let server: TestServer;
let clock: ReturnType<typeof manualClock>;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  clock = manualClock(T0 - 10 * MINUTE_MS);
  server = await startTestServer(redis, { trustProxy: true }, { clock });
  await seedStore(server.url, 'aiea', [{ sku: 'case', onHand: 1 }]);
  await call(server.url, 'POST', '/api/admin/events', { ...admin, body: { id: EVENT, name: 'Launch' } });
  const slots = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
    ...admin,
    body: {
      storeIds: ['aiea'],
      firstDate: releaseDate,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      capacity: 2,
    },
  });
  expect(slots.status).toBe(201);
});
afterEach(async () => {
  await server?.close();
});

const configure = (body: Record<string, unknown>) =>
  call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
    ...admin,
    body: { enabled: true, admissionsPerMinute: 60, ticketMinutes: 10, ...body },
  });
const join = (email: string, address: string) =>
  call(server.url, 'POST', `/api/events/${EVENT}/waiting-room/places`, {
    idempotencyKey: newKey('join'),
    body: { customer: { name: email, email } },
    headers: { 'x-forwarded-for': address },
  });

describe('a waiting room’s opening time', () => {
  it('refuses an opening still to come at which no slot opens, says why, and changes nothing', async () => {
    const wrong = T0 + 9 * 60 * MINUTE_MS + 54 * MINUTE_MS;
    const refused = await configure({ opensAt: wrong });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('WAITING_ROOM_OPENING_NOT_A_RELEASE');
    expect(refused.body.message).toMatch(/No slot of this event opens at that time/);
    expect(refused.body.details.releases[0].opensAt).toBe(T0);
    const room = await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`);
    expect(room.body).toEqual({ enabled: false, soldOut: false });
  });

  it('accepts the release’s own opening, and tells the public which spots it opens', async () => {
    expect((await configure({ opensAt: T0 })).status).toBe(200);
    const room = await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`);
    expect(room.body).toMatchObject({ enabled: true, opensAt: T0, soldOut: false });
    expect(room.body.releaseFirstStartsAt).toBeGreaterThan(T0);
  });

  it('says "sold out" only when every released slot is full, by the counters', async () => {
    expect((await configure({ opensAt: T0 })).status).toBe(200);
    const place = await join('a@example.com', '10.0.0.1');
    expect(place.status).toBe(201);
    clock.advance(T0 - clock.now() + 1_000);
    await tickWaitingRoom(server.deps, EVENT);
    const open = await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`);
    expect(open.body.soldOut).toBe(false);
    // Fill both slots (2 seats each) with the place's ticket and then others' turns.
    const slots = (await call(server.url, 'GET', `/api/events/${EVENT}/slots`)).body.slots as {
      id: string;
    }[];
    let n = 0;
    for (const slot of slots) {
      for (let seat = 0; seat < 2; seat++) {
        const email = `b${n++}@example.com`;
        const joined = await join(email, `10.0.1.${n}`);
        clock.advance(2_000);
        await tickWaitingRoom(server.deps, EVENT);
        const booked = await call(server.url, 'POST', '/api/bookings', {
          idempotencyKey: newKey('book'),
          body: { slotId: slot.id, customer: { name: email, email } },
          headers: { 'waiting-room-ticket': joined.body.token },
        });
        expect(booked.status).toBe(201);
      }
    }
    await tickWaitingRoom(server.deps, EVENT);
    const soldOut = await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`);
    expect(soldOut.body.soldOut).toBe(true);
  });

  it('never says "sold out" for a room whose opening released no slot (a room set before this check)', async () => {
    // An opening already past is allowed ("every slot released since then needs a turn").
    clock.advance(T0 - clock.now() + 2 * 60 * MINUTE_MS);
    expect((await configure({ opensAt: T0 + MINUTE_MS })).status).toBe(200);
    await tickWaitingRoom(server.deps, EVENT);
    const room = await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`);
    expect(room.body.soldOut).toBe(false);
    expect(room.body.releaseFirstStartsAt).toBeUndefined();
  });

  it('refuses a direct booking of the release without a ticket while the room is on', async () => {
    expect((await configure({ opensAt: T0 })).status).toBe(200);
    clock.advance(T0 - clock.now() + 1_000);
    await tickWaitingRoom(server.deps, EVENT);
    const slots = (await call(server.url, 'GET', `/api/events/${EVENT}/slots`)).body.slots as {
      id: string;
    }[];
    const direct = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId: slots[0]?.id, customer: { name: 'Direct', email: 'direct@example.com' } },
    });
    expect(direct.status).toBe(403);
    expect(direct.body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
  });
});

describe('places on shared networks', () => {
  it('lets many customers behind one address join, and shows a second device its place without its token', async () => {
    expect((await configure({ opensAt: T0 })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await join(`nat${i}@example.com`, '100.64.0.1')).status).toBe(201);
    const again = await join('nat3@example.com', '198.51.100.7');
    expect(again.status).toBe(409);
    expect(again.body.details.by).toBe('customer');
    expect(again.body.details.place).toMatchObject({ eventId: EVENT, state: 'before_opening', opensAt: T0 });
    expect(JSON.stringify(again.body)).not.toMatch(/wr_/);
  });
});
