import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, dateInZone } from '../../shared/time.ts';
import { enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
const EVENT = 'launch';
const TZ = 'Pacific/Honolulu';
const tomorrow = () => addDays(dateInZone(Date.now(), TZ), 1);

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

async function setUpEvent(
  capacity: number,
  options: { perCustomerLimit?: number; firstDate?: string; days?: number } = {},
) {
  const created = await call(server.url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: EVENT, name: 'Launch trade-in', perCustomerLimit: options.perCustomerLimit ?? 1 },
  });
  expect(created.status).toBe(201);
  const slots = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
    token: TEST_ADMIN_TOKEN,
    body: {
      storeIds: ['aiea', 'kapolei'],
      firstDate: options.firstDate ?? tomorrow(),
      days: options.days ?? 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      slotMinutes: 30,
      capacity,
    },
  });
  expect(slots.status).toBe(201);
}

const slotId = (store: string, time: string, date = tomorrow()) =>
  `${EVENT}.${store}.${date.replaceAll('-', '')}${time.replace(':', '')}`;
const book = (slot: string, customer: object, key = newKey('book')) =>
  call(server.url, 'POST', '/api/bookings', { idempotencyKey: key, body: { slotId: slot, customer } });
const slotsOf = async (store: string, date = tomorrow()) =>
  (await call(server.url, 'GET', `/api/events/${EVENT}/slots?storeId=${store}&date=${date}`)).body.slots as {
    id: string;
    remaining: number;
    capacity: number;
    startsAt: number;
  }[];
const remaining = async (slot: string) => {
  const store = slot.split('.')[1] ?? '';
  return (await slotsOf(store)).find((s) => s.id === slot)?.remaining;
};
const ann = { name: 'Ann', email: 'Ann@Example.com' };

beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 1 }]);
});

describe('slots', () => {
  it('are made in store time, 30 minutes apart, and list with what remains', async () => {
    await setUpEvent(3);
    const slots = await slotsOf('aiea');
    expect(slots.map((s) => s.id)).toEqual([slotId('aiea', '09:00'), slotId('aiea', '09:30')]);
    expect(slots[0]).toMatchObject({ capacity: 3, remaining: 3 });
    // 09:00 in Honolulu (UTC-10) is 19:00 UTC.
    expect(new Date(slots[0]?.startsAt ?? 0).toISOString().slice(11, 16)).toBe('19:00');
  });

  it('regenerating keeps the seats already booked', async () => {
    await setUpEvent(3);
    await book(slotId('aiea', '09:00'), ann);
    await setUpEvent(3);
    expect(await remaining(slotId('aiea', '09:00'))).toBe(2);
  });

  it('answers 404 for an unknown event', async () => {
    const res = await call(server.url, 'GET', '/api/events/nope/slots');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('EVENT_NOT_FOUND');
  });
});

describe('booking', () => {
  it('takes a seat and answers with the booking and its manage token', async () => {
    await setUpEvent(2);
    const res = await book(slotId('aiea', '09:00'), ann);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      eventId: EVENT,
      storeId: 'aiea',
      status: 'booked',
      customer: { name: 'Ann' },
    });
    expect(res.body.manageToken).toMatch(/^[0-9a-f]{48}$/);
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    const read = await call(server.url, 'GET', `/api/bookings/${res.body.id}`, {
      token: res.body.manageToken,
    });
    expect(read.body.status).toBe('booked');
    const wrong = await call(server.url, 'GET', `/api/bookings/${res.body.id}`, { token: 'a'.repeat(48) });
    expect(wrong.status).toBe(404);
  });

  it('answers slot full when no seat is left', async () => {
    await setUpEvent(1);
    await book(slotId('aiea', '09:00'), ann);
    const res = await book(slotId('aiea', '09:00'), { name: 'Bo', phone: '808 555 0111' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'SLOT_FULL', details: { capacity: 1 } });
  });

  it('allows one booking per customer per event, matching email case and phone format, across stores', async () => {
    await setUpEvent(5);
    expect((await book(slotId('aiea', '09:00'), ann)).status).toBe(201);
    const again = await book(slotId('kapolei', '09:30'), { name: 'Ann again', email: 'ann@example.COM' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('BOOKING_LIMIT_REACHED');
    expect((await book(slotId('aiea', '09:00'), { name: 'Cy', phone: '+1 (808) 555-0123' })).status).toBe(
      201,
    );
    const cy = await book(slotId('kapolei', '09:00'), { name: 'Cy', phone: '808.555.0123' });
    expect(cy.body.code).toBe('BOOKING_LIMIT_REACHED');
    expect(await remaining(slotId('kapolei', '09:00'))).toBe(5);
  });

  it('honours a configured limit above one', async () => {
    await setUpEvent(5, { perCustomerLimit: 2 });
    expect((await book(slotId('aiea', '09:00'), ann)).status).toBe(201);
    expect((await book(slotId('aiea', '09:30'), ann)).status).toBe(201);
    expect((await book(slotId('kapolei', '09:00'), ann)).body.code).toBe('BOOKING_LIMIT_REACHED');
  });

  it('refuses a slot whose booking window has not opened (midnight store time the day before)', async () => {
    const later = addDays(tomorrow(), 5);
    await setUpEvent(5, { firstDate: later });
    const res = await book(slotId('aiea', '09:00', later), ann);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SLOT_NOT_OPEN');
    expect(dateInZone(res.body.details.opensAt, TZ)).toBe(addDays(later, -1));
    expect(new Date(res.body.details.opensAt).toISOString().slice(11, 16)).toBe('10:00'); // 00:00 HST
  });

  it('refuses a slot that has started', async () => {
    const past = addDays(tomorrow(), -3);
    await setUpEvent(5, { firstDate: past });
    const res = await book(slotId('aiea', '09:00', past), ann);
    expect(res.body.code).toBe('SLOT_CLOSED');
  });

  it('replays the first answer for the same key, refuses the same key with another body, needs a key', async () => {
    await setUpEvent(5);
    const key = newKey('same');
    const first = await book(slotId('aiea', '09:00'), ann, key);
    const second = await book(slotId('aiea', '09:00'), ann, key);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(4);
    expect((await book(slotId('aiea', '09:30'), ann, key)).status).toBe(422);
    const noKey = await call(server.url, 'POST', '/api/bookings', {
      body: { slotId: slotId('aiea', '09:00'), customer: ann },
    });
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
  });

  it('rejects bad input with 400 and books nothing', async () => {
    await setUpEvent(5);
    const res = await book('not-a-slot', { name: '' });
    expect(res.status).toBe(400);
    expect(res.body.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['slotId', 'customer.name']),
    );
  });
});

describe('changing a booking', () => {
  it('cancels: the seat and the customer allowance come back, once', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const cancel = () =>
      call(server.url, 'DELETE', `/api/bookings/${b.id}`, { token: b.manageToken, idempotencyKey: newKey() });
    expect((await cancel()).body.status).toBe('cancelled');
    expect((await cancel()).body.code).toBe('INVALID_TRANSITION');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    expect((await book(slotId('kapolei', '09:00'), ann)).status).toBe(201);
  });

  it('reschedules to another store: the new seat is taken and the old one freed', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const moved = await call(server.url, 'POST', `/api/bookings/${b.id}/reschedule`, {
      token: b.manageToken,
      idempotencyKey: newKey(),
      body: { slotId: slotId('kapolei', '09:30') },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      slotId: slotId('kapolei', '09:30'),
      storeId: 'kapolei',
      status: 'booked',
    });
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    expect(await remaining(slotId('kapolei', '09:30'))).toBe(0);
  });

  it('keeps the old seat when the new slot is full', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    await book(slotId('aiea', '09:30'), { name: 'Bo', email: 'bo@example.com' });
    const moved = await call(server.url, 'POST', `/api/bookings/${b.id}/reschedule`, {
      token: b.manageToken,
      idempotencyKey: newKey(),
      body: { slotId: slotId('aiea', '09:30') },
    });
    expect(moved.body.code).toBe('SLOT_FULL');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(0);
    const read = await call(server.url, 'GET', `/api/bookings/${b.id}`, { token: b.manageToken });
    expect(read.body.slotId).toBe(slotId('aiea', '09:00'));
  });
});

describe('staff and appointments', () => {
  it('lists the day’s bookings and checks in, marks no-shows and acknowledges for its own store only', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const own = await enrollTablet(server.url, 'aiea');
    const other = await enrollTablet(server.url, 'kapolei');
    const list = await call(server.url, 'GET', `/api/staff/aiea/appointments?date=${tomorrow()}`, {
      token: own.token,
    });
    expect(list.body.bookings).toHaveLength(1);
    expect(list.body.bookings[0].customer.email).toBe('Ann@Example.com');

    const step = (token: string, store: string, s: string) =>
      call(server.url, 'POST', `/api/staff/${store}/bookings/${b.id}/${s}`, {
        token,
        idempotencyKey: newKey(),
      });
    const foreign = await step(other.token, 'kapolei', 'check-in');
    expect(foreign.status).toBe(404);
    expect((await step(own.token, 'aiea', 'ack')).body.acknowledgedAt).toBeGreaterThan(0);
    expect((await step(own.token, 'aiea', 'no-show')).body.status).toBe('no_show');
    expect((await step(own.token, 'aiea', 'check-in')).body.status).toBe('checked_in');
    const read = await call(server.url, 'GET', `/api/bookings/${b.id}`, { token: b.manageToken });
    expect(read.body).toMatchObject({ status: 'checked_in' });
    expect(read.body.acknowledgedAt).toBeGreaterThan(0);
  });
});

describe('bookings under concurrency, over real HTTP', () => {
  it('2,000 concurrent bookings for a slot of 100 make exactly 100', async () => {
    await setUpEvent(100);
    const slot = slotId('aiea', '09:00');
    const replies = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => book(slot, { name: `C${i}`, email: `c${i}@example.com` })),
    );
    const counts: Record<number, number> = {};
    for (const r of replies) counts[r.status] = (counts[r.status] ?? 0) + 1;
    expect(counts).toEqual({ 201: 100, 409: 1900 });
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_FULL')).toBe(true);
    expect(await remaining(slot)).toBe(0);
  });
});
