import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelBooking, markBooking, rescheduleBooking } from '../../server/appointments/bookings.ts';
import { eventKeys } from '../../server/appointments/keys.ts';
import { testConfig } from '../../server/config.ts';
import { sha256 } from '../../server/crypto.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { BOOKING_STATUSES, type BookingStatus, makeSlotId } from '../../shared/api/bookings.ts';
import {
  BOOKING_STEPS,
  BOOKING_UNDO_WINDOW_MS,
  type BookingStep,
  decideBookingStep,
} from '../../shared/booking-steps.ts';
import { newUlid } from '../../shared/ids.ts';
import { manualClock } from '../helpers/clock.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { newKey } from '../helpers/server.ts';

/**
 * The booking scripts (mark-booking, cancel, reschedule) against the shared state machine
 * (shared/booking-steps.ts): every step from every status, acknowledged or not, before the
 * slot starts, after it, and after the undo window, through the real scripts on a real Redis.
 */

const EVENT = 'launch';
const STORE = 'aiea';
const TOKEN = 'manage-token';
const CUSTOMER = 'e:ana@example.com';
const k = eventKeys(EVENT);
const FROM = makeSlotId(EVENT, STORE, '2030-01-01', '09:00');
const TO = makeSlotId(EVENT, STORE, '2030-01-01', '09:30');

const MIN = 60_000;
/** When the booking's slot starts, and when it reached its status (checked in, no-show), by timing. */
const TIMINGS = {
  'before the slot starts': { startsIn: 10 * MIN, statusAgo: 2 * MIN },
  'after the start, within the undo window': { startsIn: -10 * MIN, statusAgo: 5 * MIN },
  'after the undo window': { startsIn: -60 * MIN, statusAgo: BOOKING_UNDO_WINDOW_MS + MIN },
} as const;
type Timing = keyof typeof TIMINGS;

let redis: TestRedis;
let deps: Deps;
const clock = manualClock();

beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig({ adminToken: 'unused-admin-token-0123' }), { clock });
});
afterAll(async () => {
  await deps?.hub.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
});

/**
 * An event with two slots at one store (the second open for booking), and one booking in the
 * first, straight into Redis; `timing` places the first slot's start and the status's time.
 */
async function seedBooking(
  status: BookingStatus,
  acknowledged: boolean,
  timing: Timing = 'before the slot starts',
): Promise<string> {
  const now = clock.now();
  const { startsIn, statusAgo } = TIMINGS[timing];
  const id = `${EVENT}.${newUlid()}`;
  const active = status === 'booked' || status === 'checked_in' || status === 'no_show';
  await deps.redis.hset(k.meta, { id: EVENT, name: 'Launch', perCustomerLimit: 1 });
  for (const [slotId, booked, startsAt] of [
    [FROM, active ? 1 : 0, now + startsIn],
    [TO, 0, now + 86_400_000],
  ] as const) {
    await deps.redis.hset(k.slot(slotId), {
      id: slotId,
      eventId: EVENT,
      storeId: STORE,
      startsAt,
      endsAt: startsAt + 1_800_000,
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
    startsAt: now + startsIn,
    status,
    createdAt: now,
    assignedAt: now,
    customerKey: CUSTOMER,
    customer: JSON.stringify({ name: 'Ana' }),
    tokenHash: sha256(TOKEN),
  };
  if (acknowledged) Object.assign(booking, { acknowledgedAt: now, acknowledgedBy: 'dev-0' });
  if (status === 'checked_in') Object.assign(booking, { checkedInAt: now - statusAgo, checkedInBy: 'dev-0' });
  if (status === 'no_show') Object.assign(booking, { noShowAt: now - statusAgo, noShowBy: 'dev-0' });
  await deps.redis.hset(k.booking(id), booking);
  if (active) {
    await deps.redis.sadd(k.customerBookings(CUSTOMER), id);
    await deps.redis.zadd(k.storeBookings(STORE), now + startsIn, id);
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

const cases = (Object.keys(TIMINGS) as Timing[]).flatMap((timing) =>
  BOOKING_STATUSES.flatMap((status) =>
    [false, true].flatMap((acknowledged) =>
      BOOKING_STEPS.map((step) => ({
        status,
        step,
        acknowledged,
        timing,
        label: `${step} from ${status}${acknowledged ? ' (acknowledged)' : ''}, ${timing}`,
      })),
    ),
  ),
);

describe('the booking scripts follow shared/booking-steps.ts', () => {
  it.each(cases)('$label', async ({ status, step, acknowledged, timing }) => {
    const id = await seedBooking(status, acknowledged, timing);
    const before = await deps.redis.hgetall(k.booking(id));
    const seatsBefore = await seats();
    const outcome = await take(id, step);
    const after = await deps.redis.hgetall(k.booking(id));
    const now = clock.now();
    const statusAt = Number(before.checkedInAt ?? before.noShowAt ?? Number.NaN);
    const decision = decideBookingStep(
      {
        status,
        acknowledged,
        startsAt: Number(before.startsAt),
        statusAt: Number.isNaN(statusAt) ? undefined : statusAt,
      },
      step,
      now,
    );

    if (decision.kind !== 'moved') {
      // Cancel and reschedule keep their own refusals; the time rules are mark-booking's.
      expect(outcome).toMatchObject(
        decision.kind === 'refused' ? { ok: false, code: decision.code } : { ok: true },
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
    } else if (step === 'undo') {
      // Booked again: the undone status's time is gone, the reopening recorded.
      expect(after).toMatchObject({ status: 'booked', reopenedAt: String(now), reopenedBy: 'dev-1' });
      expect(after.checkedInAt ?? after.noShowAt).toBeUndefined();
      expect(await seats()).toEqual(seatsBefore);
    } else {
      expect(await seats()).toEqual(seatsBefore);
    }
  });

  it('covers every status and step', () => {
    expect(cases).toHaveLength(3 * BOOKING_STATUSES.length * 2 * BOOKING_STEPS.length);
  });

  it('refuses a no-show before the slot starts, names the start, and changes nothing', async () => {
    const id = await seedBooking('booked', true, 'before the slot starts');
    const before = await deps.redis.hgetall(k.booking(id));
    const outcome = await take(id, 'no_show');
    expect(outcome).toMatchObject({
      ok: false,
      code: 'SLOT_NOT_STARTED',
      details: { startsAt: Number(before.startsAt) },
    });
    expect(await deps.redis.hgetall(k.booking(id))).toEqual(before);
    // From its first minute on, the same booking may be marked.
    clock.advance(10 * MIN);
    expect(await take(id, 'no_show')).toMatchObject({ ok: true, body: { status: 'no_show' } });
  });

  it('undoes a no-show for 30 minutes, and not a minute later', async () => {
    const first = await seedBooking('booked', true, 'after the start, within the undo window');
    const second = await seedBooking('booked', true, 'after the start, within the undo window');
    expect(await take(first, 'no_show')).toMatchObject({ ok: true });
    expect(await take(second, 'no_show')).toMatchObject({ ok: true });
    clock.advance(BOOKING_UNDO_WINDOW_MS);
    expect(await take(first, 'undo')).toMatchObject({ ok: true, body: { status: 'booked' } });
    clock.advance(1);
    expect(await take(second, 'undo')).toMatchObject({ ok: false, code: 'UNDO_WINDOW_PASSED' });
    expect(await deps.redis.hget(k.booking(second), 'status')).toBe('no_show');
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
