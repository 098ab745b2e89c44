import { describe, expect, it } from 'vitest';
import { acknowledgementsDue } from '../../client/offline/auto-acknowledge.ts';
import type { BookingView } from '../../shared/api/bookings.ts';
import type { HoldView } from '../../shared/api/holds.ts';

const hold = (id: string, patch: Partial<HoldView> = {}): HoldView => ({
  id,
  storeId: 'aiea',
  sku: 'KIT',
  quantity: 1,
  status: 'held',
  createdAt: 1,
  expiresAt: 2,
  customer: { name: `C ${id}` },
  ...patch,
});
const booking = (id: string, patch: Partial<BookingView> = {}): BookingView => ({
  id,
  eventId: 'ev',
  slotId: 's',
  storeId: 'aiea',
  startsAt: 1,
  status: 'booked',
  createdAt: 1,
  customer: { name: `B ${id}` },
  ...patch,
});

describe('auto-acknowledge', () => {
  it('acknowledges each new hold and booking once, and none already acknowledged or closed', () => {
    const asked = new Set<string>();
    const holds = [hold('h1'), hold('h2', { acknowledgedAt: 5 }), hold('h3', { status: 'cancelled' })];
    const bookings = [booking('b1'), booking('b2', { status: 'cancelled' })];
    expect(acknowledgementsDue(holds, bookings, asked).map((a) => a.command)).toEqual([
      { name: 'hold.step', args: { holdId: 'h1', step: 'ack' } },
      { name: 'booking.step', args: { bookingId: 'b1', step: 'ack' } },
    ]);
    expect(acknowledgementsDue(holds, bookings, asked)).toEqual([]);
  });
});
