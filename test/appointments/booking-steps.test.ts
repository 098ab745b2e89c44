import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelBooking, markBooking, rescheduleBooking } from '../../server/appointments/bookings.ts';
import { eventKeys } from '../../server/appointments/keys.ts';
import { testConfig } from '../../server/config.ts';
import { sha256 } from '../../server/crypto.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { BOOKING_STATUSES, type BookingStatus, makeSlotId } from '../../shared/api/bookings.ts';
import { BOOKING_STEPS, type BookingStep, decideBookingStep } from '../../shared/booking-steps.ts';
import { newUlid } from '../../shared/ids.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { newKey } from '../helpers/server.ts';

/**
 * The booking scripts (mark-booking, cancel, reschedule) against the shared state machine
 * (shared/booking-steps.ts): every step from every status, acknowledged or not, through the
 * real scripts on a real Redis.
 */

const EVENT = 'launch';
const STORE = 'aiea';
const TOKEN = 'manage-token';
const CUSTOMER = 'e:ana@example.com';
const k = eventKeys(EVENT);
const FROM = makeSlotId(EVENT, STORE, '2030-01-01', '09:00');
const TO = makeSlotId(EVENT, STORE, '2030-01-01', '09:30');

let redis: TestRedis;
let deps: Deps;

beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig({ adminToken: 'unused-admin-token-0123' }));
});
afterAll(async () => {
  await deps?.hub.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
});

/** An event with two open slots at one store, and one booking in the first, straight into Redis. */
async function seedBooking(status: BookingStatus, acknowledged: boolean): Promise<string> {
  const now = Date.now();
  const id = `${EVENT}.${newUlid()}`;
  const active = status === 'booked' || status === 'checked_in' || status === 'no_show';
  await deps.redis.hset(k.meta, { id: EVENT, name: 'Launch', perCustomerLimit: 1 });
  for (const [slotId, booked] of [
    [FROM, active ? 1 : 0],
    [TO, 0],
  ] as const) {
    await deps.redis.hset(k.slot(slotId), {
      id: slotId,
      eventId: EVENT,
      storeId: STORE,
      startsAt: now + 86_400_000,
      endsAt: now + 88_200_000,
      opensAt: now - 1000,
      capacity: 5,
      booked,
    });
  }
  const booking: Record<string, string | number> = {
    id,
    eventId: EVENT,
    slotId: FROM,
    storeId: STORE,
    startsAt: now + 86_400_000,
    status,
    createdAt: now,
    assignedAt: now,
    customerKey: CUSTOMER,
    customer: JSON.stringify({ name: 'Ana' }),
    tokenHash: sha256(TOKEN),
  };
  if (acknowledged) Object.assign(booking, { acknowledgedAt: now, acknowledgedBy: 'dev-0' });
  await deps.redis.hset(k.booking(id), booking);
  if (active) {
    await deps.redis.sadd(k.customerBookings(CUSTOMER), id);
    await deps.redis.zadd(k.storeBookings(STORE), now + 86_400_000, id);
  }
  return id;
}

async function take(id: string, step: BookingStep) {
  const ctx = {
    idempotencyKey: newKey('bk'),
    payloadHash: 'h',
    actor: { role: 'staff' as const, deviceId: 'dev-1', storeId: STORE },
  };
  const staff = { deviceId: 'dev-1', storeId: STORE };
  if (step === 'cancel') return cancelBooking(deps, id, staff, ctx);
  if (step === 'reschedule') return rescheduleBooking(deps, id, TO, TOKEN, ctx);
  return markBooking(deps, id, step, staff, ctx);
}

const seats = async () => ({
  from: await deps.redis.hget(k.slot(FROM), 'booked'),
  to: await deps.redis.hget(k.slot(TO), 'booked'),
});

const cases = BOOKING_STATUSES.flatMap((status) =>
  [false, true].flatMap((acknowledged) =>
    BOOKING_STEPS.map((step) => ({
      status,
      step,
      acknowledged,
      label: `${step} from ${status}${acknowledged ? ' (acknowledged)' : ''}`,
    })),
  ),
);

describe('the booking scripts follow shared/booking-steps.ts', () => {
  it.each(cases)('$label', async ({ status, step, acknowledged }) => {
    const id = await seedBooking(status, acknowledged);
    const before = await deps.redis.hgetall(k.booking(id));
    const seatsBefore = await seats();
    const outcome = await take(id, step);
    const after = await deps.redis.hgetall(k.booking(id));
    const decision = decideBookingStep({ status, acknowledged }, step);

    if (decision.kind !== 'moved') {
      expect(outcome).toMatchObject(
        decision.kind === 'refused' ? { ok: false, code: 'INVALID_TRANSITION' } : { ok: true },
      );
      expect(after).toEqual(before);
      expect(await seats()).toEqual(seatsBefore);
      return;
    }
    expect(outcome.ok).toBe(true);
    expect(after.status).toBe(decision.status);
    expect(Boolean(after.acknowledgedAt)).toBe(acknowledged || decision.marks.includes('acknowledged'));
    // A seat moves only when the booking gives one up or changes slot.
    if (step === 'cancel') {
      expect(await seats()).toEqual({ from: '0', to: '0' });
      expect(await deps.redis.sismember(k.customerBookings(CUSTOMER), id)).toBe(0);
    } else if (step === 'reschedule') {
      expect(after.slotId).toBe(TO);
      expect(await seats()).toEqual({ from: '0', to: '1' });
    } else {
      expect(await seats()).toEqual(seatsBefore);
    }
  });

  it('covers every status and step', () => {
    expect(cases).toHaveLength(BOOKING_STATUSES.length * 2 * BOOKING_STEPS.length);
  });
});

describe('a booking changed while another change reads its keys', () => {
  it('gives every seat back exactly once when cancels race reschedules', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await seedBooking('booked', false));
    // seedBooking resets the slots; set the seats the 20 bookings hold.
    await deps.redis.hset(k.slot(FROM), 'booked', 20);
    await deps.redis.hset(k.slot(TO), 'capacity', 100);
    await Promise.all(ids.flatMap((id) => [take(id, 'reschedule'), take(id, 'cancel')]));
    for (const id of ids) expect(await deps.redis.hget(k.booking(id), 'status')).toBe('cancelled');
    expect(await seats()).toEqual({ from: '0', to: '0' });
    expect(await deps.redis.zcard(k.storeBookings(STORE))).toBe(0);
    expect(await deps.redis.scard(k.customerBookings(CUSTOMER))).toBe(0);
  });
});
