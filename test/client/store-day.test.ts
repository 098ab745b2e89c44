import { describe, expect, it } from 'vitest';
import { todaysBookings } from '../../client/staff/store-day.ts';
import { clockTime } from '../../client/ui/format.ts';
import type { BookingView } from '../../shared/api/bookings.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';

const HONOLULU = 'Pacific/Honolulu';
const booking = (id: string, startsAt: number, patch: Partial<BookingView> = {}): BookingView => ({
  id,
  eventId: 'ev',
  slotId: 's',
  storeId: 'aiea',
  startsAt,
  status: 'booked',
  createdAt: 0,
  customer: { name: id },
  ...patch,
});

describe('the store’s day on the tablet (issue 8.7)', () => {
  // 10:30 AM in Honolulu on 22 Nov is 20:30 UTC; at 11 PM Honolulu time it is already the 23rd in UTC.
  const morning = zonedTimeToEpochMs('2026-11-22', '10:30', HONOLULU);
  const lateEvening = zonedTimeToEpochMs('2026-11-22', '23:00', HONOLULU);

  it('shows a Honolulu booking at its store time, whatever zone the tablet is set to', () => {
    expect(clockTime(morning, HONOLULU)).toMatch(/10:30/);
  });

  it('counts "today" in the store’s zone, not the tablet’s', () => {
    const list = [
      booking('today-morning', morning),
      booking('tomorrow', zonedTimeToEpochMs('2026-11-23', '09:00', HONOLULU)),
      booking('cancelled', morning, { status: 'cancelled' }),
    ];
    expect(todaysBookings(list, HONOLULU, lateEvening).map((b) => b.id)).toEqual(['today-morning']);
  });
});
