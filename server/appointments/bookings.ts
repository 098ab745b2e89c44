import { type StoreAcknowledgement, storeAcknowledgement } from '../../shared/api/acknowledgement.ts';
import type {
  BookingStatus,
  BookingView,
  CreateBookingRequest,
  CreatedBooking,
} from '../../shared/api/bookings.ts';
import { parseSlotId } from '../../shared/api/bookings.ts';
import { customerKey } from '../../shared/api/common.ts';
import {
  BOOKING_MARK_STEPS,
  BOOKING_STEP_RULES,
  BOOKING_STEPS_AFTER_START,
  BOOKING_UNDO_WINDOW_MS,
  type BookingMarkStep,
} from '../../shared/booking-steps.ts';
import { newSecret, newUlid, ownerOfId } from '../../shared/ids.ts';
import { AppError } from '../app-error.ts';
import { secretsMatch, sha256 } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import { type MutationContext, mutationArgs } from '../redis/mutation.ts';
import { readStore } from '../stock/stores.ts';
import { placeIdOf } from '../waiting-room/room.ts';
import { listEvents } from './events.ts';
import { type EventKeys, eventKeys } from './keys.ts';

const bookScript = scriptAt('book', import.meta.url, {
  keys: [
    'idem',
    'audit',
    'meta',
    'slot',
    'booking',
    'customerBookings',
    'storeBookings',
    'room',
    'roomPlaces',
    'roomTickets',
  ],
});
const cancelScript = scriptAt('cancel', import.meta.url, {
  keys: ['idem', 'audit', 'booking', 'slot', 'customerBookings', 'storeBookings'],
  constants: { RULES: BOOKING_STEP_RULES },
});
const markScript = scriptAt('mark-booking', import.meta.url, {
  keys: ['idem', 'audit', 'booking'],
  constants: {
    RULES: BOOKING_STEP_RULES,
    MARK_STEPS: BOOKING_MARK_STEPS,
    AFTER_START: BOOKING_STEPS_AFTER_START,
    UNDO_WINDOW_MS: BOOKING_UNDO_WINDOW_MS,
  },
});
const rescheduleScript = scriptAt('reschedule', import.meta.url, {
  keys: [
    'idem',
    'audit',
    'booking',
    'oldSlot',
    'oldStoreBookings',
    'newSlot',
    'newStoreBookings',
    'room',
    'roomPlaces',
  ],
  constants: { RULES: BOOKING_STEP_RULES },
});

export type BookingRecord = Record<string, string | number | undefined>;
/** What a tablet of the booking's store records on it. */
export type BookingMark = BookingMarkStep;
/** Who is changing a booking: its customer (by manage token) or a tablet of its store. */
export type BookingActor = { manageToken: string } | { deviceId: string; storeId: string };

/** A booking hash as the customer sees it: no contact details, no token hash. */
export function bookingView(b: BookingRecord): BookingView {
  const customer = JSON.parse(String(b.customer ?? '{}')) as { name?: string };
  const view: BookingView = {
    id: String(b.id),
    eventId: String(b.eventId),
    slotId: String(b.slotId),
    storeId: String(b.storeId),
    startsAt: Number(b.startsAt),
    status: String(b.status) as BookingStatus,
    createdAt: Number(b.createdAt),
    customer: { name: customer.name ?? '' },
  };
  for (const field of ['acknowledgedAt', 'checkedInAt', 'noShowAt', 'cancelledAt'] as const) {
    if (b[field] !== undefined && b[field] !== '') view[field] = Number(b[field]);
  }
  return view;
}

/** Staff see the contact details too, to reach a customer who is late, and the event's name. */
export function bookingViewForStaff(b: BookingRecord, eventName?: string) {
  return {
    ...bookingView(b),
    customer: JSON.parse(String(b.customer ?? '{}')) as { name: string; email?: string; phone?: string },
    ...(eventName ? { eventName } : {}),
  };
}

function eventOf(id: string, notFound: 'BOOKING_NOT_FOUND' | 'SLOT_NOT_FOUND'): string {
  const eventId = ownerOfId(id);
  if (!eventId) throw new AppError(notFound);
  return eventId;
}

/**
 * Books a seat; the answer carries the secret manage token (the booking's "manage link").
 * `ticket` is the waiting room's admission ticket, required while the event's room is on.
 */
export async function createBooking(
  deps: Deps,
  request: CreateBookingRequest,
  ctx: MutationContext,
  ticket?: string,
): Promise<Outcome<CreatedBooking>> {
  const slot = parseSlotId(request.slotId);
  if (!slot) throw new AppError('SLOT_NOT_FOUND');
  const bookingId = `${slot.eventId}.${newUlid()}`;
  const manageToken = newSecret();
  const k = eventKeys(slot.eventId);
  const ckey = customerKey(request.customer);
  const keys = {
    idem: k.idempotency(ctx.idempotencyKey),
    audit: k.audit,
    meta: k.meta,
    slot: k.slot(request.slotId),
    booking: k.booking(bookingId),
    customerBookings: k.customerBookings(ckey),
    storeBookings: k.storeBookings(slot.storeId),
    room: k.room,
    roomPlaces: k.roomPlaces,
    roomTickets: k.roomTickets,
  };
  const outcome = await bookScript.decide<{ booking: BookingRecord; manageToken: string }>(
    deps.redis,
    keys,
    mutationArgs(deps, ctx, [
      bookingId,
      request.slotId,
      ckey,
      JSON.stringify(request.customer),
      sha256(manageToken),
      manageToken,
      slot.storeId,
      ticket ? placeIdOf(ticket) : '',
    ]),
  );
  if (!outcome.ok) return outcome;
  return {
    ...outcome,
    body: { ...bookingView(outcome.body.booking), manageToken: outcome.body.manageToken },
  };
}

/**
 * Where a booking sits (its slot, store and customer), read so that a script can be given the
 * exact keys; the script checks them again (decideWithFreshKeys). Empty for a missing booking,
 * which the script refuses before touching those keys.
 */
async function placeOf(deps: Deps, k: EventKeys, bookingId: string) {
  const [slotId, storeId, customerKey] = await deps.redis.hmget(
    k.booking(bookingId),
    'slotId',
    'storeId',
    'customerKey',
  );
  return { slotId: slotId ?? '', storeId: storeId ?? '', customerKey: customerKey ?? '' };
}

/** Cancels a booking: its seat and the customer's allowance for the event come back. */
export async function cancelBooking(
  deps: Deps,
  bookingId: string,
  who: BookingActor,
  ctx: MutationContext,
): Promise<Outcome<BookingRecord>> {
  const eventId = eventOf(bookingId, 'BOOKING_NOT_FOUND');
  const k = eventKeys(eventId);
  const outcome = await cancelScript.decideWithFreshKeys<{ booking: BookingRecord }>(deps.redis, async () => {
    const placed = await placeOf(deps, k, bookingId);
    const keys = {
      idem: k.idempotency(ctx.idempotencyKey),
      audit: k.audit,
      booking: k.booking(bookingId),
      slot: k.slot(placed.slotId),
      customerBookings: k.customerBookings(placed.customerKey),
      storeBookings: k.storeBookings(placed.storeId),
    };
    const args = mutationArgs(deps, ctx, [
      bookingId,
      'manageToken' in who ? sha256(who.manageToken) : '',
      'storeId' in who ? who.storeId : '',
      placed.slotId,
      placed.storeId,
      placed.customerKey,
    ]);
    return { keys, args };
  });
  return outcome.ok ? { ...outcome, body: outcome.body.booking } : outcome;
}

/** Acknowledges, checks in, marks a no-show or undoes either, for a tablet of the booking's store only. */
export async function markBooking(
  deps: Deps,
  bookingId: string,
  mark: BookingMark,
  staff: { deviceId: string; storeId: string },
  ctx: MutationContext,
): Promise<Outcome<BookingRecord>> {
  const eventId = eventOf(bookingId, 'BOOKING_NOT_FOUND');
  const k = eventKeys(eventId);
  const keys = { idem: k.idempotency(ctx.idempotencyKey), audit: k.audit, booking: k.booking(bookingId) };
  const outcome = await markScript.decide<{ booking: BookingRecord }>(
    deps.redis,
    keys,
    mutationArgs(deps, ctx, [bookingId, mark, staff.deviceId, staff.storeId]),
  );
  return outcome.ok ? { ...outcome, body: outcome.body.booking } : outcome;
}

/**
 * Moves a booking to another slot of the same event: new seat first, then the old one freed.
 * `ticket` is the waiting room's, needed to move into the release the room guards.
 */
export async function rescheduleBooking(
  deps: Deps,
  bookingId: string,
  slotId: string,
  manageToken: string,
  ctx: MutationContext,
  ticket?: string,
): Promise<Outcome<BookingRecord>> {
  const eventId = eventOf(bookingId, 'BOOKING_NOT_FOUND');
  const target = parseSlotId(slotId);
  if (target?.eventId !== eventId) {
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path: 'slotId', message: 'must be a slot of the same event' }],
    });
  }
  const k = eventKeys(eventId);
  const outcome = await rescheduleScript.decideWithFreshKeys<{ booking: BookingRecord }>(
    deps.redis,
    async () => {
      const placed = await placeOf(deps, k, bookingId);
      const keys = {
        idem: k.idempotency(ctx.idempotencyKey),
        audit: k.audit,
        booking: k.booking(bookingId),
        oldSlot: k.slot(placed.slotId),
        oldStoreBookings: k.storeBookings(placed.storeId),
        newSlot: k.slot(slotId),
        newStoreBookings: k.storeBookings(target.storeId),
        room: k.room,
        roomPlaces: k.roomPlaces,
      };
      const args = mutationArgs(deps, ctx, [
        bookingId,
        slotId,
        sha256(manageToken),
        target.storeId,
        placed.slotId,
        placed.storeId,
        ticket ? placeIdOf(ticket) : '',
      ]);
      return { keys, args };
    },
  );
  return outcome.ok ? { ...outcome, body: outcome.body.booking } : outcome;
}

/** The customer's own booking; a wrong token reads as "no such booking" (nothing leaks). */
export async function readBookingForCustomer(
  deps: Deps,
  bookingId: string,
  manageToken: string,
): Promise<BookingView & { storeAcknowledgement: StoreAcknowledgement }> {
  const eventId = eventOf(bookingId, 'BOOKING_NOT_FOUND');
  const b = await deps.redis.hgetall(eventKeys(eventId).booking(bookingId));
  if (!b.id || !b.tokenHash || !secretsMatch(b.tokenHash, sha256(manageToken))) {
    throw new AppError('BOOKING_NOT_FOUND');
  }
  const view = bookingView(b);
  const store = await readStore(deps, view.storeId);
  const contact = { phone: store?.phone ?? '', name: store?.name ?? view.storeId };
  // The store's clock starts when it was given the booking: at creation, or at a move from another store.
  const sent = { ...view, createdAt: Number(b.assignedAt ?? b.createdAt) };
  return {
    ...view,
    storeAcknowledgement: storeAcknowledgement(
      sent,
      deps.clock.now(),
      deps.config.storeAckTimeoutMs,
      contact,
    ),
  };
}

/** A store's active bookings starting in [from, to), across every event, for the staff list. */
export async function listStoreBookings(deps: Deps, storeId: string, from: number, to: number) {
  const events = await listEvents(deps);
  const perEvent = await Promise.all(
    events.map(async (event) => {
      const k = eventKeys(event.id);
      const ids = await deps.redis.zrangebyscore(k.storeBookings(storeId), from, `(${to}`);
      const pipeline = deps.redis.pipeline();
      for (const id of ids) pipeline.hgetall(k.booking(id));
      const found = ((await pipeline.exec()) ?? []).map(([, value]) => value as Record<string, string>);
      return found.filter((b) => b.id !== undefined).map((b) => bookingViewForStaff(b, event.name));
    }),
  );
  return perEvent
    .flat()
    .sort((a, b) => a.startsAt - b.startsAt || a.customer.name.localeCompare(b.customer.name));
}
