import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventKeys } from '../../server/appointments/keys.ts';
import { admitWaiting, placeIdOf, ROOM_KEPT_MS, tickWaitingRoom } from '../../server/waiting-room/room.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { manualClock } from '../helpers/clock.ts';
import { HNL, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { openSse } from '../helpers/sse.ts';

const EVENT = 'launch';
const keys = eventKeys(EVENT);
const MINUTE_MS = 60_000;
/** The release: the day after tomorrow's slots, opening at the coming midnight, store time. */
const releaseDate = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
const T0 = slotOpensAt(releaseDate, HNL.timeZone);
const slotId = (time: string) => `${EVENT}.aiea.${releaseDate.replaceAll('-', '')}${time.replace(':', '')}`;

let redis: TestRedis;
let db: Redis;
let server: TestServer;
let clock: ReturnType<typeof manualClock>;

beforeAll(async () => {
  redis = await startTestRedis();
  db = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  clock = manualClock(T0 - 10 * MINUTE_MS);
  // Behind a proxy: each simulated customer comes from its own address (X-Forwarded-For).
  server = await startTestServer(redis, { trustProxy: true }, { clock });
  await seedStore(server.url, 'aiea', [{ sku: 'case', onHand: 1 }]);
});
afterEach(async () => {
  await server?.close();
});

async function setUpRelease(
  capacity: number,
  room: {
    admissionsPerMinute: number;
    ticketMinutes: number;
    activeLimit?: number;
    placesPerConnection?: number;
  },
) {
  const event = await call(server.url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: EVENT, name: 'Launch trade-in' },
  });
  expect(event.status).toBe(201);
  const slots = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
    token: TEST_ADMIN_TOKEN,
    body: {
      storeIds: ['aiea'],
      firstDate: releaseDate,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      slotMinutes: 30,
      capacity,
    },
  });
  expect(slots.status).toBe(201);
  const configured = await call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
    token: TEST_ADMIN_TOKEN,
    body: { enabled: true, ...room },
  });
  expect(configured.status).toBe(200);
  // Without opensAt the room takes the event's next release.
  expect(configured.body.opensAt).toBe(T0);
}

const person = (n: number) => ({ name: `Customer ${n}`, email: `Customer${n}@Example.com` });
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

const join = (n: number, customer: object = person(n), address = addressOf(n)) =>
  call(server.url, 'POST', `/api/events/${EVENT}/waiting-room/places`, {
    idempotencyKey: newKey('join'),
    body: { customer },
    headers: { 'x-forwarded-for': address },
  });
const placeOf = (token: string) =>
  call(server.url, 'GET', `/api/events/${EVENT}/waiting-room/place`, { token });
const book = (slot: string, customer: object, ticket?: string) =>
  call(server.url, 'POST', '/api/bookings', {
    idempotencyKey: newKey('book'),
    body: { slotId: slot, customer },
    headers: ticket ? { [WAITING_ROOM_TICKET_HEADER]: ticket } : {},
  });
const admittedSoFar = async () => Number(await db.hget(keys.room, 'admitted'));
/** Moves the test clock and runs the admission step, as the instances' tickers do. */
const tickAt = async (at: number) => {
  clock.advance(at - clock.now());
  await tickWaitingRoom(server.deps, EVENT);
};

/** Spearman's rank correlation of two rankings of the same n items (no ties). */
function spearman(a: number[], b: number[]): number {
  const n = a.length;
  const sumD2 = a.reduce((sum, x, i) => sum + (x - (b[i] ?? 0)) ** 2, 0);
  return 1 - (6 * sumD2) / (n * (n * n - 1));
}

describe('the waiting room of a release (issue 10 §3)', () => {
  it('admits 1,000 early customers at T0 in a random order, at the set rate, each once, and only they book', async () => {
    const CUSTOMERS = 1_000;
    const PER_MINUTE = 600; // 10 a second
    await setUpRelease(10, { admissionsPerMinute: PER_MINUTE, ticketMinutes: 10 });
    const tokens: string[] = [];
    for (let n = 0; n < CUSTOMERS; n++) {
      clock.advance(100); // they arrive one after another before T0
      const joined = await join(n);
      expect(joined.status).toBe(201);
      expect(joined.body.state).toBe('before_opening');
      tokens.push(joined.body.token);
    }
    expect(clock.now()).toBeLessThan(T0);

    // Before T0 nobody is admitted, however often an instance ticks.
    await tickWaitingRoom(server.deps, EVENT);
    expect(await admittedSoFar()).toBe(0);
    const early = await placeOf(tokens[0] ?? '');
    expect(early.body).toMatchObject({ state: 'before_opening', opensAt: T0, waiting: CUSTOMERS });

    await tickAt(T0);
    expect(await admittedSoFar()).toBe(0);
    const first = await placeOf(tokens[0] ?? '');
    expect(first.body.state).toBe('waiting');
    expect(first.body.estimatedWaitMs).toBe((first.body.position * MINUTE_MS) / PER_MINUTE);

    // One second after T0: ten admitted. Somebody not admitted cannot book, with or without
    // their token; an admitted customer cannot lend their ticket; they can book themselves.
    await tickAt(T0 + 1_000);
    expect(await admittedSoFar()).toBe(10);
    const places = await db.hgetall(keys.roomPlaces);
    const admittedNow = tokens
      .map((t, n) => ({ t, n }))
      .filter(({ t }) => JSON.parse(places[placeIdOf(t)] ?? '{}').state === 'admitted');
    const stillWaiting = tokens
      .map((t, n) => ({ t, n }))
      .find(({ t }) => !admittedNow.some((a) => a.t === t));
    const [lucky, other] = admittedNow;
    if (!lucky || !other || !stillWaiting) throw new Error('expected admitted and waiting customers');
    expect((await placeOf(lucky.t)).body.state).toBe('your_turn');
    for (const attempt of [
      await book(slotId('09:00'), person(stillWaiting.n)),
      await book(slotId('09:00'), person(stillWaiting.n), stillWaiting.t),
      await book(slotId('09:00'), person(lucky.n)),
      await book(slotId('09:00'), person(other.n), lucky.t),
    ]) {
      expect(attempt.status).toBe(403);
      expect(attempt.body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
      expect(attempt.body.message).toMatch(/waiting line/);
    }
    const booked = await book(slotId('09:00'), person(lucky.n), lucky.t);
    expect(booked.status).toBe(201);
    expect((await placeOf(lucky.t)).body.state).toBe('used');

    // Then ten a second, exactly, until the line is empty.
    for (let s = 2; s <= CUSTOMERS / 10; s++) {
      await tickAt(T0 + s * 1_000);
      expect(await admittedSoFar()).toBe(10 * s);
    }
    await tickAt(T0 + 200_000);
    expect(await admittedSoFar()).toBe(CUSTOMERS);
    expect(await db.zcard(keys.roomQueue)).toBe(0);

    // Each admitted exactly once, in an order unrelated to arrival.
    const final = await db.hgetall(keys.roomPlaces);
    const admissionOrder = tokens.map((t) => Number(JSON.parse(final[placeIdOf(t)] ?? '{}').admittedNo));
    expect(new Set(admissionOrder).size).toBe(CUSTOMERS);
    expect(Math.min(...admissionOrder)).toBe(1);
    expect(Math.max(...admissionOrder)).toBe(CUSTOMERS);
    const arrivalOrder = tokens.map((_, n) => n + 1);
    const rho = spearman(arrivalOrder, admissionOrder);
    // For a random order of 1,000 the standard deviation of rho is about 0.032.
    expect(Math.abs(rho)).toBeLessThan(0.15);
    const firstTenArrivals = admissionOrder.slice(0, 10).filter((place) => place <= 10).length;
    expect(firstTenArrivals).toBeLessThan(5);
  }, 120_000);

  it('follows the booking rate: each booking or unused ticket lets the next customer in, never faster than the rate', async () => {
    // At most 5 admitted customers who have not booked; the rate alone would let 600 a minute in.
    await setUpRelease(20, { admissionsPerMinute: 600, ticketMinutes: 2, activeLimit: 5 });
    const tokens: string[] = [];
    for (let n = 0; n < 30; n++) {
      clock.advance(100);
      tokens.push((await join(n)).body.token);
    }
    const admittedTokens = async () => {
      const places = await db.hgetall(keys.roomPlaces);
      return tokens
        .map((t, n) => ({ t, n, state: JSON.parse(places[placeIdOf(t)] ?? '{}').state as string }))
        .filter((p) => p.state === 'admitted');
    };
    await tickAt(T0);
    await tickAt(T0 + 5_000);
    expect(await admittedSoFar()).toBe(5);
    // Before any pace is measured, the line is told the slowest it can move: 5 per 2-minute ticket.
    expect(
      (await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`)).body.admissionsPerMinute,
    ).toBe(3);

    // Nobody books: nobody more is let in, and the time waited is not banked as a burst.
    await tickAt(T0 + 60_000);
    expect(await admittedSoFar()).toBe(5);

    // Two book: two more are let in at the next step, not more.
    const [a, b] = await admittedTokens();
    if (!a || !b) throw new Error('expected admitted customers');
    expect((await book(slotId('09:00'), person(a.n), a.t)).status).toBe(201);
    expect((await book(slotId('09:30'), person(b.n), b.t)).status).toBe(201);
    await tickAt(T0 + 61_000);
    expect(await admittedSoFar()).toBe(7);
    expect(await admittedTokens()).toHaveLength(5);

    // The first five's tickets run out unused (three of them): three more come in.
    await tickAt(T0 + 5_000 + 2 * MINUTE_MS);
    expect(await admittedSoFar()).toBe(10);
    const room = await call(server.url, 'GET', `/api/admin/events/${EVENT}/waiting-room`, {
      token: TEST_ADMIN_TOKEN,
    });
    expect(room.body).toMatchObject({ activeLimit: 5, active: 5, admitted: 10, expired: 3 });
    // The pace is measured: 10 let in over the two minutes since T0 + 5 s (about 5 a minute).
    expect(room.body.measuredPerMinute).toBeGreaterThan(2);
    expect(room.body.measuredPerMinute).toBeLessThan(10);
    // Those still in line are told their wait at the measured pace.
    const views = await Promise.all(tokens.map(async (t) => (await placeOf(t)).body));
    const last = views.find((view) => view.state === 'waiting');
    expect(views.filter((view) => view.state === 'waiting')).toHaveLength(20);
    const pace = Math.round(room.body.measuredPerMinute);
    expect(last.estimatedWaitMs).toBe(Math.ceil((last.position * MINUTE_MS) / pace));

    // Turned back to the rate alone: the rest come in at 10 a second.
    const back = await call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
      token: TEST_ADMIN_TOKEN,
      body: { enabled: true, admissionsPerMinute: 600, ticketMinutes: 2 },
    });
    expect(back.body).not.toHaveProperty('activeLimit');
    await tickAt(T0 + 5_000 + 2 * MINUTE_MS + 2_000);
    expect(await admittedSoFar()).toBe(30);
  });

  it('queues arrivals after T0 behind those drawn at T0, in arrival order', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10 });
    const early = [];
    for (let n = 0; n < 5; n++) early.push((await join(n)).body.token as string);
    await tickAt(T0);
    const late = [];
    for (let n = 5; n < 8; n++) {
      clock.advance(10);
      late.push((await join(n)).body.token as string);
    }
    const positions = await Promise.all(late.map(async (t) => (await placeOf(t)).body.position));
    expect(positions).toEqual([6, 7, 8]);
  });

  it('admits once per instant however many instances step, and a new rate applies from its change', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10 });
    for (let n = 0; n < 50; n++) expect((await join(n)).status).toBe(201);
    clock.advance(T0 + 5_000 - clock.now());
    const steps = await Promise.all(Array.from({ length: 8 }, () => admitWaiting(server.deps, EVENT)));
    expect(steps.reduce((sum, s) => sum + s.admitted, 0)).toBe(5);
    expect(await admittedSoFar()).toBe(5);
    // Ten seconds later, at 600 a minute: the five seconds before the change count at the old rate.
    clock.advance(5_000);
    const changed = await call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
      token: TEST_ADMIN_TOKEN,
      body: { enabled: true, admissionsPerMinute: 600, ticketMinutes: 10 },
    });
    expect(changed.body.admitted).toBe(5);
    await tickAt(T0 + 10_000);
    expect(await admittedSoFar()).toBe(10);
    await tickAt(T0 + 12_000);
    expect(await admittedSoFar()).toBe(30);
  });

  it('guards only the release: earlier days book directly, but a move into the release needs a turn', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10 });
    const dayBefore = addDays(releaseDate, -1);
    const earlier = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
      token: TEST_ADMIN_TOKEN,
      body: {
        storeIds: ['aiea'],
        firstDate: dayBefore,
        days: 1,
        dayStart: '09:00',
        dayEnd: '09:30',
        capacity: 5,
      },
    });
    expect(earlier.status).toBe(201);
    const booked = await book(`${EVENT}.aiea.${dayBefore.replaceAll('-', '')}0900`, person(1));
    expect(booked.status).toBe(201);
    const joined = await join(1);
    await tickAt(T0);
    const move = (ticket?: string) =>
      call(server.url, 'POST', `/api/bookings/${booked.body.id}/reschedule`, {
        token: booked.body.manageToken,
        idempotencyKey: newKey('move'),
        body: { slotId: slotId('09:00') },
        headers: ticket ? { [WAITING_ROOM_TICKET_HEADER]: ticket } : {},
      });
    expect((await move()).body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
    await tickAt(T0 + 1_000);
    const moved = await move(joined.body.token);
    expect(moved.status).toBe(200);
    expect(moved.body.slotId).toBe(slotId('09:00'));
  });

  it('keeps who waited only for a while: every key of the room expires after its last change', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10 });
    expect((await join(1)).status).toBe(201);
    await tickAt(T0 + 1_000);
    expect(await db.exists(keys.roomPlaces, keys.roomCustomers, keys.roomTickets, keys.room)).toBe(4);
    for (const key of [
      keys.room,
      keys.roomQueue,
      keys.roomPlaces,
      keys.roomCustomers,
      keys.roomAddresses,
      keys.roomTickets,
    ]) {
      // -2: the key is gone (the line emptied); -1 would be a key kept for ever.
      const ttl = await db.pttl(key);
      if (ttl === -2) continue;
      expect(ttl, key).toBeGreaterThan(ROOM_KEPT_MS - 60_000);
      expect(ttl, key).toBeLessThanOrEqual(ROOM_KEPT_MS);
    }
  });

  it('holds one place per customer and per connection', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10, placesPerConnection: 1 });
    const same = { name: 'Bot', email: 'bot@example.com' };
    const attempts = await Promise.all(Array.from({ length: 20 }, (_, i) => join(i, same, addressOf(i))));
    expect(attempts.filter((a) => a.status === 201)).toHaveLength(1);
    for (const refused of attempts.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'WAITING_ROOM_ALREADY_JOINED',
        details: { by: 'customer' },
      });
    }
    // The same identity written another way is the same customer.
    const shouted = await join(99, { name: 'Bot', email: 'BOT@Example.COM' }, addressOf(99));
    expect(shouted.body.code).toBe('WAITING_ROOM_ALREADY_JOINED');
    // One connection, a second identity.
    const winner = attempts.findIndex((a) => a.status === 201);
    const sameConnection = await join(100, person(100), addressOf(winner));
    expect(sameConnection.status).toBe(409);
    expect(sameConnection.body.details).toEqual({ by: 'connection' });
    expect(await db.zcard(keys.roomQueue)).toBe(1);
  });

  it('gives the place of an unused ticket to the next customer, and that ticket no longer books', async () => {
    await setUpRelease(10, { admissionsPerMinute: 1, ticketMinutes: 1 });
    const tokens = [];
    for (let n = 0; n < 3; n++) tokens.push((await join(n)).body.token as string);
    await tickAt(T0);
    await tickAt(T0 + MINUTE_MS);
    expect(await admittedSoFar()).toBe(1);
    const states = await Promise.all(tokens.map(async (t) => (await placeOf(t)).body.state));
    const admitted = states.indexOf('your_turn');
    expect(admitted).toBeGreaterThanOrEqual(0);
    // A minute later the ticket ran out: the rate admits one more, and the unused place one more.
    await tickAt(T0 + 2 * MINUTE_MS);
    expect(await admittedSoFar()).toBe(3);
    const after = await Promise.all(tokens.map(async (t) => (await placeOf(t)).body.state));
    expect(after[admitted]).toBe('expired');
    expect(after.filter((s) => s === 'your_turn')).toHaveLength(2);
    const late = await book(slotId('09:00'), person(admitted), tokens[admitted]);
    expect(late.body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
    // The customer may queue again, at the back.
    const again = await join(admitted, person(admitted), addressOf(admitted));
    expect(again.status).toBe(201);
    expect(again.body.position).toBe(1);
  });

  it('tells everyone still waiting at once when every spot is taken', async () => {
    await setUpRelease(1, { admissionsPerMinute: 60, ticketMinutes: 10 });
    const tokens = [];
    for (let n = 0; n < 5; n++) tokens.push((await join(n)).body.token as string);
    await tickAt(T0);
    const watchers = tokens.map((t) =>
      openSse(`${server.url}/api/live/events/${EVENT}/waiting-room`, { authorization: `Bearer ${t}` }),
    );
    await Promise.all(
      watchers.map((w) => waitUntil(async () => w.events.some((e) => e.event === 'place'), Boolean)),
    );
    // Two seats (09:00 and 09:30), admitted one a second.
    const bookings = [];
    for (let s = 1; s <= 2; s++) {
      await tickAt(T0 + s * 1_000);
      const n = (await Promise.all(tokens.map(async (t) => (await placeOf(t)).body.state))).indexOf(
        'your_turn',
      );
      bookings.push(await book(slotId(s === 1 ? '09:00' : '09:30'), person(n), tokens[n]));
    }
    expect(bookings.map((b) => b.status)).toEqual([201, 201]);
    await tickAt(T0 + 3_000);
    // Marked at the first admission step after the last seat went: the test's own step at
    // T0 + 3 s, or the instance's 250 ms ticker, which may run first at the clock's T0 + 2 s.
    const soldOutAt = Number(await db.hget(keys.room, 'soldOutAt'));
    expect(soldOutAt).toBeGreaterThanOrEqual(T0 + 2_000);
    expect(soldOutAt).toBeLessThanOrEqual(T0 + 3_000);
    const stillWaiting = await Promise.all(
      watchers.map((w) =>
        waitUntil(
          async () =>
            w.events
              .filter((e) => e.event === 'place')
              .map((e) => JSON.parse(e.data).state)
              .at(-1),
          (state) => state !== 'waiting',
        ),
      ),
    );
    expect(stillWaiting.filter((s) => s === 'sold_out')).toHaveLength(3);
    // Nobody more is admitted into a sold-out release.
    await tickAt(T0 + 10_000);
    expect(await admittedSoFar()).toBe(2);
    for (const w of watchers) w.close();
  });

  it('is off until an admin turns it on, and booking needs no ticket then', async () => {
    await setUpRelease(10, { admissionsPerMinute: 60, ticketMinutes: 10 });
    const off = await call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
      token: TEST_ADMIN_TOKEN,
      body: { enabled: false, admissionsPerMinute: 60, ticketMinutes: 10 },
    });
    expect(off.body.enabled).toBe(false);
    expect((await call(server.url, 'GET', `/api/events/${EVENT}/waiting-room`)).body).toEqual({
      enabled: false,
      soldOut: false,
    });
    expect((await join(1)).body.code).toBe('WAITING_ROOM_OFF');
    clock.advance(T0 - clock.now());
    expect((await book(slotId('09:00'), person(1))).status).toBe(201);
  });
});
