import type { BookingView } from '../../shared/api/bookings.ts';
import { dateInZone } from '../../shared/time.ts';

/**
 * The bookings of the store's today, by start time (issue 8.7): "today" is the calendar day
 * in the store's zone, not the tablet's. Without a zone yet, the tablet's day is the best guess.
 */
export function todaysBookings<B extends BookingView>(
  bookings: readonly B[],
  timeZone: string | undefined,
  now: number,
): B[] {
  const dayOf = (ms: number) =>
    timeZone ? dateInZone(ms, timeZone) : new Date(ms).toLocaleDateString('en-CA');
  const today = dayOf(now);
  return bookings
    .filter((b) => dayOf(b.startsAt) === today && b.status !== 'cancelled')
    .sort((a, b) => a.startsAt - b.startsAt || a.customer.name.localeCompare(b.customer.name));
}
