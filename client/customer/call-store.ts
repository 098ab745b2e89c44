/**
 * When a customer is asked to call the store about a hold or booking the store's tablets have
 * not received yet (issue 16 §3): only when it matters and the call can help.
 */
import { isOpenAt, type StoreHours as OpeningHours } from '../../shared/opening-hours.ts';

/**
 * Store hours used when a store's own are not known: 9:00 to 21:00 in the store's time. The
 * one place they are set; a store with its hours on record should pass them instead.
 */
export const DEFAULT_STORE_HOURS = { opensAtHour: 9, closesAtHour: 21 } as const;
export type StoreHours = { opensAtHour: number; closesAtHour: number };
/** A store's hours as an admin set them (issue 21): the week and its holidays, in store time. */
type HoursOnRecord = OpeningHours;

/** A booking starting within this is "soon": the store should know of it before the customer comes. */
export const BOOKING_SOON_MS = 3 * 60 * 60_000;

/** The hour of the day (0-23) at `at` in `timeZone`. */
function hourIn(at: number, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-US', { hour: 'numeric', hourCycle: 'h23', timeZone }).format(at);
  return Number(hour) % 24;
}

/** Whether the store is open at `at`, by its hours (the default ones when unknown). */
export function isStoreOpen(
  at: number,
  timeZone: string,
  hours: StoreHours | HoursOnRecord = DEFAULT_STORE_HOURS,
): boolean {
  if ('weekly' in hours) return isOpenAt(hours, at, timeZone);
  const hour = hourIn(at, timeZone);
  return hour >= hours.opensAtHour && hour < hours.closesAtHour;
}

/** Why the customer is, or is not, asked to call: each reason has its own sentence on the page. */
export type CallAdvice = 'call' | 'not_confirmed' | 'not_soon' | 'store_closed';

/**
 * Asks for a call only when the store has missed a confirmed hold, or a booking that starts
 * soon, while the store is open: otherwise a call would reach nobody or change nothing.
 */
export function callAdvice(input: {
  confirmed: boolean;
  startsAt?: number | undefined;
  now: number;
  timeZone: string;
  hours?: StoreHours | HoursOnRecord | undefined;
}): CallAdvice {
  if (!input.confirmed) return 'not_confirmed';
  if (input.startsAt !== undefined && input.startsAt - input.now > BOOKING_SOON_MS) return 'not_soon';
  if (!isStoreOpen(input.now, input.timeZone, input.hours)) return 'store_closed';
  return 'call';
}
