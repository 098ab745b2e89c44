import type { BookingStatus } from './api/bookings.ts';
import { decideStep, type StepDecision, type StepRules } from './step-machine.ts';

/**
 * The life of an appointment booking, once for the booking scripts, the server, the tablets
 * and the tests: booked -> checked_in | no_show | cancelled; a late arrival after a no-show
 * mark can still be checked in. `ack` (a tablet of the store received it) is a mark.
 */
export const BOOKING_STEPS = ['ack', 'check_in', 'no_show', 'cancel', 'reschedule'] as const;
export type BookingStep = (typeof BOOKING_STEPS)[number];

/** The steps a tablet of the booking's store records (mark-booking.lua). */
export const BOOKING_MARK_STEPS = ['ack', 'check_in', 'no_show'] as const satisfies readonly BookingStep[];
export type BookingMarkStep = (typeof BOOKING_MARK_STEPS)[number];

/** The steps staff take from a tablet, and the URL segment of each: `/api/staff/:store/bookings/:id/<segment>`. */
export const STAFF_BOOKING_STEP_PATHS = {
  ack: 'ack',
  check_in: 'check-in',
  no_show: 'no-show',
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
  cancel: { from: ['booked'], to: 'cancelled' },
  // Moves the seat; the status stays booked.
  reschedule: { from: ['booked'] },
} as const satisfies StepRules<BookingStatus, BookingStep, BookingMark>;

export interface BookingFacts {
  status: BookingStatus;
  acknowledged: boolean;
}

export type BookingDecision = StepDecision<BookingStatus, BookingMark>;

/** What `step` does to a booking; a refusal answers INVALID_TRANSITION. */
export function decideBookingStep(booking: BookingFacts, step: BookingStep): BookingDecision {
  const marks = new Set<BookingMark>(booking.acknowledged ? ['acknowledged'] : []);
  return decideStep(BOOKING_STEP_RULES, { status: booking.status, marks }, step);
}
