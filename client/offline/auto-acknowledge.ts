import type { BookingView } from '../../shared/api/bookings.ts';
import type { HoldView } from '../../shared/api/holds.ts';
import type { NewAction } from './outbox.ts';

type Named = { customer: { name: string } };

/**
 * DESIGN "Store acknowledgement": the first tablet that receives a new hold or booking
 * acknowledges it by itself. Returns the actions for those not yet acknowledged by anyone,
 * nor already queued by this tablet (`asked`, which this function adds to).
 */
export function acknowledgementsDue(
  holds: (HoldView & Named)[],
  bookings: (BookingView & Named)[],
  asked: Set<string>,
): NewAction[] {
  const actions: NewAction[] = [];
  for (const hold of holds) {
    if (hold.acknowledgedAt || asked.has(hold.id)) continue;
    if (hold.status !== 'held' && hold.status !== 'confirmed') continue;
    asked.add(hold.id);
    actions.push({
      command: { name: 'hold.step', args: { holdId: hold.id, step: 'ack' } },
      label: `Acknowledge pickup ${hold.sku} for ${hold.customer.name}`,
    });
  }
  for (const booking of bookings) {
    if (booking.acknowledgedAt || booking.status !== 'booked' || asked.has(booking.id)) continue;
    asked.add(booking.id);
    actions.push({
      command: { name: 'booking.step', args: { bookingId: booking.id, step: 'ack' } },
      label: `Acknowledge appointment of ${booking.customer.name}`,
    });
  }
  return actions;
}
