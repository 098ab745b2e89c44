import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventKeys } from '../../server/appointments/keys.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let db: Redis;
const EVENT = 'launch';
const TZ = 'Pacific/Honolulu';
const keys = eventKeys(EVENT);
const AUDIT_KEY = keys.audit;
const tomorrow = () => addDays(dateInZone(Date.now(), TZ), 1);

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  db = redis.client();
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
  const [, store = '', stamp = ''] = slot.split('.');
  const date = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;
  return (await slotsOf(store, date)).find((s) => s.id === slot)?.remaining;
};
const readBooking = (b: { id: string; manageToken: string }) =>
  call(server.url, 'GET', `/api/bookings/${b.id}`, { token: b.manageToken });
const reschedule = (b: { id: string; manageToken: string }, slot: string, key = newKey('move')) =>
  call(server.url, 'POST', `/api/bookings/${b.id}/reschedule`, {
    token: b.manageToken,
    idempotencyKey: key,
    body: { slotId: slot },
  });
const cancel = (b: { id: string; manageToken: string }, key = newKey('cancel')) =>
  call(server.url, 'DELETE', `/api/bookings/${b.id}`, { token: b.manageToken, idempotencyKey: key });
const staffStep = (token: string, store: string, bookingId: string, step: string, key = newKey('staff')) =>
  call(server.url, 'POST', `/api/staff/${store}/bookings/${bookingId}/${step}`, {
    token,
    idempotencyKey: key,
  });

/** The event's audit log, oldest first, with each entry's fields decoded. */
async function auditEntries() {
  const entries = await db.xrange(AUDIT_KEY, '-', '+');
  return entries.map(([, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i] ?? ''] = fields[i + 1] ?? '';
    return { type: f.type ?? '', actor: JSON.parse(f.actor ?? '{}'), data: JSON.parse(f.data ?? '{}') };
  });
}

const ann = { name: 'Ann', email: 'Ann@Example.com' };
const bo = { name: 'Bo', email: 'bo@example.com' };

beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 1 }]);
});

describe('events and slots', () => {
  it('lists events with their per-customer limit', async () => {
    await setUpEvent(3, { perCustomerLimit: 2 });
    const res = await call(server.url, 'GET', '/api/events');
    expect(res.body).toEqual({ events: [{ id: EVENT, name: 'Launch trade-in', perCustomerLimit: 2 }] });
  });

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

describe('book.lua', () => {
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
    expect(res.body.customer.email).toBeUndefined();
    expect(res.body.manageToken).toMatch(/^[0-9a-f]{48}$/);
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    const read = await readBooking(res.body);
    expect(read.body).toMatchObject({ id: res.body.id, status: 'booked' });
    expect(read.body.manageToken).toBeUndefined();
  });

  it('stores only the hash of the manage token on the booking', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const stored = await db.hgetall(keys.booking(b.id));
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(stored)).not.toContain(b.manageToken);
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

  it('allows one booking per customer when the event has no limit recorded', async () => {
    await setUpEvent(5, { perCustomerLimit: 3 });
    await db.hdel(keys.meta, 'perCustomerLimit');
    expect((await book(slotId('aiea', '09:00'), ann)).status).toBe(201);
    expect((await book(slotId('aiea', '09:30'), ann)).body.code).toBe('BOOKING_LIMIT_REACHED');
  });

  it('refuses a slot whose booking window has not opened (midnight store time the day before)', async () => {
    const later = addDays(tomorrow(), 5);
    await setUpEvent(5, { firstDate: later });
    const res = await book(slotId('aiea', '09:00', later), ann);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SLOT_NOT_OPEN');
    expect(dateInZone(res.body.details.opensAt, TZ)).toBe(addDays(later, -1));
    expect(new Date(res.body.details.opensAt).toISOString().slice(11, 16)).toBe('10:00'); // 00:00 HST
    expect(await remaining(slotId('aiea', '09:00', later))).toBe(5);
  });

  it('refuses a slot that has started', async () => {
    const past = addDays(tomorrow(), -3);
    await setUpEvent(5, { firstDate: past });
    const res = await book(slotId('aiea', '09:00', past), ann);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SLOT_CLOSED');
  });

  it('answers 404 for a slot that does not exist', async () => {
    await setUpEvent(5);
    const res = await book(slotId('aiea', '11:00'), ann);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SLOT_NOT_FOUND');
  });

  it('replays the first answer for the same key and books nothing more', async () => {
    await setUpEvent(5);
    const key = newKey('same');
    const first = await book(slotId('aiea', '09:00'), ann, key);
    const second = await book(slotId('aiea', '09:00'), ann, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await remaining(slotId('aiea', '09:00'))).toBe(4);
    expect((await auditEntries()).filter((e) => e.type === 'booking.created')).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and a request without a key (400)', async () => {
    await setUpEvent(5);
    const key = newKey('same');
    await book(slotId('aiea', '09:00'), ann, key);
    const reused = await book(slotId('aiea', '09:30'), ann, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const noKey = await call(server.url, 'POST', '/api/bookings', {
      body: { slotId: slotId('aiea', '09:00'), customer: bo },
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(4);
    expect(await remaining(slotId('aiea', '09:30'))).toBe(5);
  });

  it('rejects bad input with 400 and books nothing', async () => {
    await setUpEvent(5);
    const res = await book('not-a-slot', { name: '' });
    expect(res.status).toBe(400);
    expect(res.body.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['slotId', 'customer.name']),
    );
  });

  it('records who booked, at which store, and the seats before and after', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    // The event's stream also records the admin making the event and its slots.
    expect((await auditEntries()).filter((e) => e.type.startsWith('booking.'))).toEqual([
      {
        type: 'booking.created',
        actor: { role: 'customer', client: expect.any(String) },
        data: expect.objectContaining({ bookingId: b.id, storeId: 'aiea', bookedBefore: 0, bookedAfter: 1 }),
      },
    ]);
  });
});

describe('the manage token', () => {
  it('a wrong or missing token reads as no such booking, and changes nothing', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const forged = { id: b.id, manageToken: 'a'.repeat(48) };
    for (const res of [
      await readBooking(forged),
      await call(server.url, 'GET', `/api/bookings/${b.id}`),
      await cancel(forged),
      await reschedule(forged, slotId('aiea', '09:30')),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('BOOKING_NOT_FOUND');
    }
    expect((await readBooking(b)).body).toMatchObject({ status: 'booked', slotId: slotId('aiea', '09:00') });
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    expect(await remaining(slotId('aiea', '09:30'))).toBe(2);
  });

  it('an unknown booking answers the same as a wrong token', async () => {
    const res = await call(server.url, 'GET', `/api/bookings/${EVENT}.01JD0000000000000000000000`, {
      token: 'a'.repeat(48),
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('BOOKING_NOT_FOUND');
  });

  it('a malformed booking id is a 400', async () => {
    const res = await call(server.url, 'GET', '/api/bookings/not-an-id', { token: 'a'.repeat(48) });
    expect(res.status).toBe(400);
    expect(res.body.details.issues[0].path).toBe('bookingId');
  });
});

describe('cancel.lua', () => {
  it('gives the seat and the customer allowance back, once', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const cancelled = await cancel(b);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(Number) });
    const again = await cancel(b);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    expect((await book(slotId('kapolei', '09:00'), ann)).status).toBe(201);
  });

  it('a replay of the same cancel returns the first answer and returns no second seat', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    await book(slotId('aiea', '09:00'), bo);
    const key = newKey('cancel');
    const first = await cancel(b, key);
    const replay = await cancel(b, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
    expect((await auditEntries()).filter((e) => e.type === 'booking.cancel')).toHaveLength(1);
  });

  it('needs an idempotency key', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const res = await call(server.url, 'DELETE', `/api/bookings/${b.id}`, { token: b.manageToken });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
    expect((await readBooking(b)).body.status).toBe('booked');
  });

  it('records the seat count before and after, with the store', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    await cancel(b);
    const entry = (await auditEntries()).find((e) => e.type === 'booking.cancel');
    expect(entry?.data).toMatchObject({
      bookingId: b.id,
      storeId: 'aiea',
      statusBefore: 'booked',
      statusAfter: 'cancelled',
      bookedBefore: 1,
      bookedAfter: 0,
    });
  });
});

describe('reschedule.lua', () => {
  it('moves the seat to another store: the new one taken, the old one freed', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const moved = await reschedule(b, slotId('kapolei', '09:30'));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: b.id,
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
    await book(slotId('aiea', '09:30'), bo);
    const moved = await reschedule(b, slotId('aiea', '09:30'));
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('SLOT_FULL');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(0);
    expect(await remaining(slotId('aiea', '09:30'))).toBe(0);
    expect((await readBooking(b)).body.slotId).toBe(slotId('aiea', '09:00'));
  });

  it('keeps the old seat when the new slot has not opened', async () => {
    await setUpEvent(1, { days: 6 });
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const later = slotId('aiea', '09:00', addDays(tomorrow(), 5));
    const moved = await reschedule(b, later);
    expect(moved.body.code).toBe('SLOT_NOT_OPEN');
    expect(await remaining(later)).toBe(1);
    expect(await remaining(slotId('aiea', '09:00'))).toBe(0);
    expect((await readBooking(b)).body.slotId).toBe(slotId('aiea', '09:00'));
  });

  it('refuses a slot of another event with 400', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const moved = await reschedule(b, `other.aiea.${tomorrow().replaceAll('-', '')}0900`);
    expect(moved.status).toBe(400);
  });

  it('refuses to move a cancelled booking', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    await cancel(b);
    const moved = await reschedule(b, slotId('aiea', '09:30'));
    expect(moved.body.code).toBe('INVALID_TRANSITION');
    expect(await remaining(slotId('aiea', '09:30'))).toBe(1);
  });

  it('a replay returns the first answer and moves nothing; the same key for another slot is a 422', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const key = newKey('move');
    const first = await reschedule(b, slotId('aiea', '09:30'), key);
    const replay = await reschedule(b, slotId('aiea', '09:30'), key);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await remaining(slotId('aiea', '09:30'))).toBe(1);
    expect(await remaining(slotId('aiea', '09:00'))).toBe(2);
    expect((await reschedule(b, slotId('kapolei', '09:00'), key)).status).toBe(422);
    expect(await remaining(slotId('kapolei', '09:00'))).toBe(2);
  });

  it('a move to another store waits for that store to acknowledge, and both stores hear of it', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const aieaTablet = await enrollTablet(server.url, 'aiea');
    await staffStep(aieaTablet.token, 'aiea', b.id, 'ack');
    expect((await readBooking(b)).body.storeAcknowledgement.status).toBe('received');

    await reschedule(b, slotId('kapolei', '09:00'));
    const read = (await readBooking(b)).body;
    expect(read.acknowledgedAt).toBeUndefined();
    expect(read.storeAcknowledgement.status).toBe('waiting');
    const moves = (await auditEntries()).filter((e) => e.data.toSlot === slotId('kapolei', '09:00'));
    expect(moves.map((e) => [e.type, e.data.storeId])).toEqual([
      ['booking.moved_away', 'aiea'],
      ['booking.rescheduled', 'kapolei'],
    ]);
  });

  it('a move within the store keeps its acknowledgement', async () => {
    await setUpEvent(2);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const tablet = await enrollTablet(server.url, 'aiea');
    await staffStep(tablet.token, 'aiea', b.id, 'ack');
    await reschedule(b, slotId('aiea', '09:30'));
    expect((await readBooking(b)).body.storeAcknowledgement.status).toBe('received');
  });
});

describe('mark-booking.lua (staff)', () => {
  it('lists the day’s bookings of its store by slot, with the customer’s name and contact', async () => {
    await setUpEvent(5);
    await book(slotId('aiea', '09:30'), ann);
    await book(slotId('aiea', '09:00'), bo);
    await book(slotId('kapolei', '09:00'), { name: 'Cy', email: 'cy@example.com' });
    const tablet = await enrollTablet(server.url, 'aiea');
    const list = await call(server.url, 'GET', `/api/staff/aiea/appointments?date=${tomorrow()}`, {
      token: tablet.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.date).toBe(tomorrow());
    expect(
      list.body.bookings.map((b: { slotId: string; customer: { name: string } }) => [
        b.slotId,
        b.customer.name,
      ]),
    ).toEqual([
      [slotId('aiea', '09:00'), 'Bo'],
      [slotId('aiea', '09:30'), 'Ann'],
    ]);
    expect(list.body.bookings[1].customer.email).toBe('Ann@Example.com');
  });

  it('lists today in the store’s time zone when no date is given', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const list = await call(server.url, 'GET', '/api/staff/aiea/appointments', { token: tablet.token });
    expect(list.body).toEqual({ date: dateInZone(Date.now(), TZ), bookings: [] });
  });

  it('checks in, refuses a no-show before the slot starts, and undoes a check-in (issue 15 §2)', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const c = (await book(slotId('aiea', '09:00'), bo)).body;
    const tablet = await enrollTablet(server.url, 'aiea');
    const checkedIn = await staffStep(tablet.token, 'aiea', b.id, 'check-in');
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body).toMatchObject({ status: 'checked_in', checkedInAt: expect.any(Number) });
    const noShowAfterCheckIn = await staffStep(tablet.token, 'aiea', b.id, 'no-show');
    expect(noShowAfterCheckIn.status).toBe(409);
    expect(noShowAfterCheckIn.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { status: 'checked_in' },
    });

    // Tomorrow's 9:00 has not started: the customer is not missing yet.
    const early = await staffStep(tablet.token, 'aiea', c.id, 'no-show');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'SLOT_NOT_STARTED', details: { startsAt: c.startsAt } });
    expect((await readBooking(c)).body.status).toBe('booked');

    // A check-in tapped by mistake is taken back: booked again, audited.
    const undone = await staffStep(tablet.token, 'aiea', b.id, 'undo');
    expect(undone.status).toBe(200);
    expect(undone.body.status).toBe('booked');
    expect(undone.body.checkedInAt).toBeUndefined();
    expect((await readBooking(b)).body.status).toBe('booked');
    const entries = await auditEntries();
    expect(entries.filter((e) => e.type === 'booking.check_in')).toHaveLength(1);
    expect(entries.filter((e) => e.type === 'booking.undo')).toMatchObject([
      {
        actor: { role: 'staff', deviceId: tablet.deviceId, storeId: 'aiea' },
        data: { bookingId: b.id, storeId: 'aiea', statusBefore: 'checked_in', statusAfter: 'booked' },
      },
    ]);
    expect(entries.filter((e) => e.type === 'booking.no_show')).toHaveLength(0);
  });

  it('refuses to check in a cancelled booking', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    await cancel(b);
    const tablet = await enrollTablet(server.url, 'aiea');
    const res = await staffStep(tablet.token, 'aiea', b.id, 'check-in');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');
  });

  it('keeps the first acknowledgement: the first tablet that received it', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const first = await enrollTablet(server.url, 'aiea', 'Front');
    const second = await enrollTablet(server.url, 'aiea', 'Back');
    const a1 = await staffStep(first.token, 'aiea', b.id, 'ack');
    const a2 = await staffStep(second.token, 'aiea', b.id, 'ack');
    expect(a1.body.acknowledgedAt).toBeGreaterThan(0);
    expect(a2.body.acknowledgedAt).toBe(a1.body.acknowledgedAt);
    expect(await db.hget(keys.booking(b.id), 'acknowledgedBy')).toBe(first.deviceId);
    expect((await auditEntries()).filter((e) => e.type === 'booking.ack')).toHaveLength(1);
    expect((await readBooking(b)).body.storeAcknowledgement).toEqual({
      status: 'received',
      at: a1.body.acknowledgedAt,
    });
  });

  it('a replayed check-in returns the first answer and records nothing more', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const tablet = await enrollTablet(server.url, 'aiea');
    const key = newKey('checkin');
    const first = await staffStep(tablet.token, 'aiea', b.id, 'check-in', key);
    const replay = await staffStep(tablet.token, 'aiea', b.id, 'check-in', key);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await staffStep(tablet.token, 'aiea', b.id, 'no-show', key)).status).toBe(422);
    expect((await auditEntries()).filter((e) => e.type === 'booking.check_in')).toHaveLength(1);
    const noKey = await call(server.url, 'POST', `/api/staff/aiea/bookings/${b.id}/no-show`, {
      token: tablet.token,
    });
    expect(noKey.status).toBe(400);
    expect((await readBooking(b)).body.status).toBe('checked_in');
  });

  it('a tablet of another store cannot check in, mark, acknowledge or cancel this store’s booking', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const other = await enrollTablet(server.url, 'kapolei');
    const auditBefore = (await auditEntries()).length;
    for (const step of ['check-in', 'no-show', 'ack', 'cancel']) {
      // Through its own store's path: the booking is not there for it.
      const ownPath = await staffStep(other.token, 'kapolei', b.id, step);
      expect(ownPath.status).toBe(404);
      expect(ownPath.body.code).toBe('BOOKING_NOT_FOUND');
      // Through the booking's store path: the tablet is not of that store.
      const theirPath = await staffStep(other.token, 'aiea', b.id, step);
      expect(theirPath.status).toBe(403);
    }
    const read = (await readBooking(b)).body;
    expect(read.status).toBe('booked');
    expect(read.acknowledgedAt).toBeUndefined();
    expect(await remaining(slotId('aiea', '09:00'))).toBe(4);
    expect(await auditEntries()).toHaveLength(auditBefore);
    const list = await call(server.url, 'GET', '/api/staff/aiea/appointments', { token: other.token });
    expect(list.status).toBe(403);
  });

  it('staff of the store can cancel: the seat comes back', async () => {
    await setUpEvent(1);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const tablet = await enrollTablet(server.url, 'aiea');
    const res = await staffStep(tablet.token, 'aiea', b.id, 'cancel');
    expect(res.body.status).toBe('cancelled');
    expect(await remaining(slotId('aiea', '09:00'))).toBe(1);
  });

  it('an unknown step is a 404 route, not a crash', async () => {
    await setUpEvent(5);
    const b = (await book(slotId('aiea', '09:00'), ann)).body;
    const tablet = await enrollTablet(server.url, 'aiea');
    for (const step of ['constructor', '__proto__', 'toString', 'checkin']) {
      const res = await staffStep(tablet.token, 'aiea', b.id, step);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    }
  });
});
