import type { BookingStatus } from './api/bookings.ts';
import { decideStep, type StepDecision, type StepRules } from './step-machine.ts';

/**
 * The life of an appointment booking, once for the booking scripts, the server, the tablets
 * and the tests: booked -> checked_in | no_show | cancelled; a late arrival after a no-show
 * mark can still be checked in; staff may undo a check-in or a no-show for a while (back to
 * booked). `ack` (a tablet of the store received it) is a mark.
 */
export const BOOKING_STEPS = ['ack', 'check_in', 'no_show', 'undo', 'cancel', 'reschedule'] as const;
export type BookingStep = (typeof BOOKING_STEPS)[number];

/** The steps a tablet of the booking's store records (mark-booking.lua). */
export const BOOKING_MARK_STEPS = [
  'ack',
  'check_in',
  'no_show',
  'undo',
] as const satisfies readonly BookingStep[];
export type BookingMarkStep = (typeof BOOKING_MARK_STEPS)[number];

/** The steps staff take from a tablet, and the URL segment of each: `/api/staff/:store/bookings/:id/<segment>`. */
export const STAFF_BOOKING_STEP_PATHS = {
  ack: 'ack',
  check_in: 'check-in',
  no_show: 'no-show',
  undo: 'undo',
  cancel: 'cancel',
} as const satisfies Partial<Record<BookingStep, string>>;
export type StaffBookingStep = keyof typeof STAFF_BOOKING_STEP_PATHS;

export const BOOKING_MARKS = ['acknowledged'] as const;
export type BookingMark = (typeof BOOKING_MARKS)[number];

export const BOOKING_STEP_RULES = {
  // DESIGN "Store acknowledgement": the first tablet that receives it; later ones change nothing.
  ack: { from: 'any', doneWhen: 'acknowledged', marks: ['acknowledged'] },
  // Offline tablets resend: a second check-in is not an error.
  check_in: { from: ['booked', 'no_show'], to: 'checked_in', doneIn: ['checked_in'] },
  no_show: { from: ['booked'], to: 'no_show', doneIn: ['no_show'] },
  // Issue 15 §2: a mistaken tap is taken back; a resent undo finds the booking booked and is fine.
  undo: { from: ['checked_in', 'no_show'], to: 'booked', doneIn: ['booked'] },
  cancel: { from: ['booked'], to: 'cancelled' },
  // Moves the seat; the status stays booked.
  reschedule: { from: ['booked'] },
} as const satisfies StepRules<BookingStatus, BookingStep, BookingMark>;

/**
 * Steps that only make sense once the slot has started (issue 15 §2): before its start a
 * customer is not missing, just not there yet. mark-booking.lua refuses them as SLOT_NOT_STARTED.
 */
export const BOOKING_STEPS_AFTER_START = ['no_show'] as const satisfies readonly BookingStep[];

/** How long after a check-in or a no-show staff may undo it (UNDO_WINDOW_PASSED after). */
export const BOOKING_UNDO_WINDOW_MS = 30 * 60 * 1000;

/** The booking facts a step depends on, times in ms. */
export interface BookingFacts {
  status: BookingStatus;
  acknowledged: boolean;
  /** When the slot starts. */
  startsAt: number;
  /** When the booking reached its status: checkedInAt or noShowAt (undefined for the others). */
  statusAt?: number | undefined;
}

export type BookingRefusalCode = 'INVALID_TRANSITION' | 'SLOT_NOT_STARTED' | 'UNDO_WINDOW_PASSED';

export type BookingDecision =
  | Exclude<StepDecision<BookingStatus, BookingMark>, { kind: 'refused' }>
  | { kind: 'refused'; status: BookingStatus; code: BookingRefusalCode };

/**
 * What `step` does to a booking at `now`: the state machine first (a repeat is fine, a wrong
 * status is INVALID_TRANSITION), then the time rules on a step that would move it. The Lua
 * (mark-booking.lua) takes the same decisions in the same order.
 */
export function decideBookingStep(booking: BookingFacts, step: BookingStep, now: number): BookingDecision {
  const marks = new Set<BookingMark>(booking.acknowledged ? ['acknowledged'] : []);
  const decision = decideStep(BOOKING_STEP_RULES, { status: booking.status, marks }, step);
  if (decision.kind === 'refused') return { ...decision, code: 'INVALID_TRANSITION' };
  if (decision.kind === 'unchanged') return decision;
  if ((BOOKING_STEPS_AFTER_START as readonly BookingStep[]).includes(step) && now < booking.startsAt)
    return { kind: 'refused', status: booking.status, code: 'SLOT_NOT_STARTED' };
  if (step === 'undo' && (booking.statusAt === undefined || now > booking.statusAt + BOOKING_UNDO_WINDOW_MS))
    return { kind: 'refused', status: booking.status, code: 'UNDO_WINDOW_PASSED' };
  return decision;
}

/** Whether staff may take `step` now and it would change the booking: what a screen offers. */
export function canTakeBookingStep(booking: BookingFacts, step: BookingStep, now: number): boolean {
  return decideBookingStep(booking, step, now).kind === 'moved';
}
