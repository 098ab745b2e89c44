import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fillAllSchedules, fillSchedule } from '../../server/appointments/schedules.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { makeSlotId } from '../../shared/api/bookings.ts';
import { type EventSchedule, plannedSlotsOn } from '../../shared/event-schedule.ts';
import type { StoreHours } from '../../shared/opening-hours.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { manualClock } from '../helpers/clock.ts';
import { customer, HNL } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

const DAY_MS = 86_400_000;
const LA = 'America/Los_Angeles';
const shop = [{ opens: '09:00', closes: '13:00' }];
const HOURS: StoreHours = {
  weekly: {
    sun: [],
    mon: shop,
    tue: shop,
    wed: shop,
    thu: shop,
    fri: shop,
    sat: [{ opens: '10:00', closes: '12:00' }],
  },
  exceptions: [],
};
const SCHEDULE: EventSchedule = {
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  slotMinutes: 60,
  capacity: 3,
  daysAhead: 14,
};

let redis: TestRedis;
let server: TestServer;
const clock = manualClock(zonedTimeToEpochMs('2026-02-20', '08:00', HNL.timeZone));

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { clock });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  clock.advance(zonedTimeToEpochMs('2026-02-20', '08:00', HNL.timeZone) - clock.now());
});

const admin = (method: string, path: string, body?: unknown) =>
  call(server.url, method, `/api/admin${path}`, {
    token: TEST_ADMIN_TOKEN,
    ...(body === undefined ? {} : { body }),
  });

async function store(id: string, timeZone = HNL.timeZone, hours: StoreHours = HOURS) {
  const made = await admin('PUT', `/stores/${id}`, {
    id,
    name: `Store ${id}`,
    address: '1 Test St',
    phone: '808-555-0100',
    ...HNL,
    timeZone,
  });
  expect(made.status).toBe(200);
  expect((await admin('PUT', `/stores/${id}/hours`, hours)).status).toBe(200);
}
async function event(id: string, storeId: string, schedule: EventSchedule = SCHEDULE) {
  expect((await admin('POST', '/events', { id, name: id })).status).toBe(201);
  const set = await admin('PUT', `/events/${id}/schedules/${storeId}`, schedule);
  expect(set.status).toBe(200);
  return set.body.filled;
}
const slotIds = (eventId: string, storeId: string) =>
  server.deps.redis.zrange(`{ev:${eventId}}:slots:${storeId}`, '0', '-1');
const slotOf = (eventId: string, slotId: string) =>
  server.deps.redis.hgetall(`{ev:${eventId}}:slot:${slotId}`);

/** Every slot id the schedule plans from the day after `fromDate` through `lastDate`. */
function planned(
  eventId: string,
  storeId: string,
  fromDate: string,
  lastDate: string,
  hours = HOURS,
  zone = HNL.timeZone,
) {
  const ids: string[] = [];
  for (let date = addDays(fromDate, 1); date <= lastDate; date = addDays(date, 1)) {
    for (const s of plannedSlotsOn(SCHEDULE, hours, date, zone))
      ids.push(makeSlotId(eventId, storeId, date, s.time));
  }
  return ids.sort();
}

describe('event schedules keep their window filled (issue 21 §2)', () => {
  it('fills 90 simulated days, each day once, none on closed days or the holiday', async () => {
    const hours = {
      ...HOURS,
      exceptions: [{ from: '2026-04-03', to: '2026-04-03', label: 'Good Friday', ranges: [] }],
    };
    await store('kapolei', HNL.timeZone, hours);
    let created = (await event('ninety', 'kapolei')).created;
    const first = dateInZone(clock.now(), HNL.timeZone);
    for (let day = 1; day <= 90; day++) {
      clock.advance(DAY_MS);
      created += (await fillAllSchedules(server.deps)).created;
      created += (await fillAllSchedules(server.deps)).created; // a second tick makes nothing
    }
    const last = addDays(dateInZone(clock.now(), HNL.timeZone), SCHEDULE.daysAhead);
    const expected = planned('ninety', 'kapolei', first, last, hours);
    expect(await slotIds('ninety', 'kapolei').then((ids) => ids.sort())).toEqual(expected);
    expect(created).toBe(expected.length);
    expect(expected.some((id) => id.includes('.20260403'))).toBe(false);
    // No Sunday: 2026-03-01 is one.
    expect(expected.some((id) => id.includes('.20260301'))).toBe(false);
    expect(expected.filter((id) => id.includes('.20260302'))).toHaveLength(4);
  });

  it('makes each slot once when two instances fill at the same time', async () => {
    await store('aiea');
    expect((await admin('POST', '/events', { id: 'twice', name: 'twice' })).status).toBe(201);
    await server.deps.redis.hset('{ev:twice}:schedules', 'aiea', JSON.stringify(SCHEDULE));
    await server.deps.redis.sadd('scheduled-events', 'twice');
    const other: Deps = createDeps(redis.client(), server.deps.config, { clock });
    const [a, b] = await Promise.all([fillAllSchedules(server.deps), fillAllSchedules(other)]);
    await other.hub.close();
    const expected = planned(
      'twice',
      'aiea',
      dateInZone(clock.now(), HNL.timeZone),
      addDays(dateInZone(clock.now(), HNL.timeZone), 14),
    );
    expect(a.created + b.created).toBe(expected.length);
    expect((await slotIds('twice', 'aiea')).sort()).toEqual(expected);
  });

  it('finishes a fill cut short by a restart without making any slot twice', async () => {
    await store('pearl');
    expect((await admin('POST', '/events', { id: 'cut', name: 'cut' })).status).toBe(201);
    await server.deps.redis.hset('{ev:cut}:schedules', 'pearl', JSON.stringify(SCHEDULE));
    // An instance whose Redis connection drops after its third day (the process stopping).
    const dying = redis.client();
    let scripts = 0;
    const crashing = new Proxy(dying, {
      get(target, prop, receiver) {
        if (prop === 'evalsha' && ++scripts > 3) throw new Error('instance stopped');
        return Reflect.get(target, prop, receiver);
      },
    });
    const first: Deps = createDeps(crashing, server.deps.config, { clock });
    await expect(fillSchedule(first, 'cut', 'pearl')).rejects.toThrow('instance stopped');
    await first.hub.close();
    const madeBefore = (await slotIds('cut', 'pearl')).length;
    expect(madeBefore).toBeGreaterThan(0);
    const restarted = await fillSchedule(server.deps, 'cut', 'pearl');
    const today = dateInZone(clock.now(), HNL.timeZone);
    const expected = planned('cut', 'pearl', today, addDays(today, 14));
    expect(madeBefore + restarted.created).toBe(expected.length);
    expect((await slotIds('cut', 'pearl')).sort()).toEqual(expected);
  });

  it('refuses a closure over booked slots, naming the bookings, and changes nothing', async () => {
    await store('mililani');
    await event('close-ev', 'mililani');
    const tomorrow = addDays(dateInZone(clock.now(), HNL.timeZone), 1);
    const slotId = makeSlotId('close-ev', 'mililani', tomorrow, '10:00');
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId, customer: customer('kai') },
    });
    expect(booked.status).toBe(201);
    const closed = { ...HOURS, exceptions: [{ from: tomorrow, to: tomorrow, label: 'Refit', ranges: [] }] };
    const refused = await admin('PUT', '/stores/mililani/hours', closed);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('CLOSURE_HAS_BOOKINGS');
    expect(refused.body.message).toContain('Customer kai');
    expect(refused.body.details.bookings).toEqual([
      expect.objectContaining({ eventId: 'close-ev', slotId, customerName: 'Customer kai' }),
    ]);
    expect((await admin('GET', '/stores/mililani/hours')).body.hours).toEqual(HOURS);
    // The Monday after has no bookings: closing it removes its slots at once.
    const dayAfter = addDays(tomorrow, 2);
    const before = (await slotIds('close-ev', 'mililani')).filter((id) =>
      id.includes(dayAfter.replaceAll('-', '')),
    );
    expect(before.length).toBeGreaterThan(0);
    const ok = await admin('PUT', '/stores/mililani/hours', {
      ...HOURS,
      exceptions: [{ from: dayAfter, to: dayAfter, label: 'Inventory day', ranges: [] }],
    });
    expect(ok.status).toBe(200);
    const after = (await slotIds('close-ev', 'mililani')).filter((id) =>
      id.includes(dayAfter.replaceAll('-', '')),
    );
    expect(after).toEqual([]);
    for (const id of before) expect(await slotOf('close-ev', id)).toEqual({});
  });

  it('changes future unbooked slots and leaves a booked slot its time and seats', async () => {
    await store('waipahu');
    await event('change-ev', 'waipahu');
    const tomorrow = addDays(dateInZone(clock.now(), HNL.timeZone), 1);
    const slotId = makeSlotId('change-ev', 'waipahu', tomorrow, '10:00');
    for (const who of ['a', 'b']) {
      const booked = await call(server.url, 'POST', '/api/bookings', {
        idempotencyKey: newKey('book'),
        body: { slotId, customer: customer(who) },
      });
      expect(booked.status).toBe(201);
    }
    const before = await slotOf('change-ev', slotId);
    const changed = await admin('PUT', '/events/change-ev/schedules/waipahu', {
      ...SCHEDULE,
      ranges: [{ opens: '11:00', closes: '13:00' }],
      slotMinutes: 30,
      capacity: 1,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.filled.kept).toBe(1);
    const kept = await slotOf('change-ev', slotId);
    expect(kept).toMatchObject({
      startsAt: before.startsAt,
      endsAt: before.endsAt,
      booked: '2',
      capacity: '2',
    });
    const ids = (await slotIds('change-ev', 'waipahu')).filter((id) =>
      id.includes(tomorrow.replaceAll('-', '')),
    );
    const times = (id: string) => id.slice(-4);
    expect(ids.map(times).sort()).toEqual(['1000', '1100', '1130', '1200', '1230']);
  });

  it('starts slots at the store opening on both LA daylight-saving days', async () => {
    clock.advance(zonedTimeToEpochMs('2026-03-01', '08:00', LA) - clock.now());
    const sunday = { ...HOURS, weekly: { ...HOURS.weekly, sun: [{ opens: '00:00', closes: '04:00' }] } };
    await store('la', LA, sunday);
    await event('dst', 'la');
    const spring = (await slotIds('dst', 'la')).filter((id) => id.includes('.20260308'));
    expect(spring.map((id) => id.slice(-4))).toEqual(['0000', '0100', '0300']);
    const slot = await slotOf('dst', makeSlotId('dst', 'la', '2026-03-08', '03:00'));
    expect(Number(slot.startsAt)).toBe(zonedTimeToEpochMs('2026-03-08', '03:00', LA));
    clock.advance(zonedTimeToEpochMs('2026-10-25', '08:00', LA) - clock.now());
    await fillAllSchedules(server.deps);
    const fall = await slotIds('dst', 'la').then((ids) => ids.filter((id) => id.includes('.20261101')));
    expect(fall.map((id) => id.slice(-4)).sort()).toEqual(['0000', '0100', '0200', '0300']);
  });
});
