import { type Customer, customerKey } from '../../shared/api/common.ts';
import type { BookingLinkRequestAnswer } from '../../shared/api/customer.ts';
import { AppError } from '../app-error.ts';
import { readEvent } from '../appointments/events.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { Deps } from '../deps.ts';
import { bookingLinkRequestsKey } from './keys.ts';

/** Requests kept per event at most (newest first): a flood cannot grow Redis without bound. */
const KEPT_REQUESTS = 1_000;
/** A request not sent within this is dropped: the customer's contact is kept no longer. */
const REQUEST_KEPT_MS = 30 * 24 * 60 * 60_000;

/** One request as kept for the notifier: where to send which bookings' links, and when asked. */
export interface BookingLinkRequest {
  kind: 'booking-link';
  eventId: string;
  bookingIds: string[];
  to: { email?: string; phone?: string };
  requestedAt: number;
}

/**
 * Records that `customer` asked for the link of their booking of `eventId` again (issue 16 §2).
 * A request is kept only when that email or phone has a booking (there is nothing to send
 * otherwise); the answer is the same either way, so nobody learns whether a contact booked.
 * Sending arrives with the notifications issue: until then the request waits in Redis.
 */
export async function requestBookingLink(
  deps: Deps,
  eventId: string,
  customer: Customer,
): Promise<BookingLinkRequestAnswer> {
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  const bookingIds = await deps.redis.smembers(eventKeys(eventId).customerBookings(customerKey(customer)));
  if (bookingIds.length > 0) {
    const request: BookingLinkRequest = {
      kind: 'booking-link',
      eventId,
      bookingIds: bookingIds.sort(),
      to: {
        ...(customer.email !== undefined ? { email: customer.email } : {}),
        ...(customer.phone !== undefined ? { phone: customer.phone } : {}),
      },
      requestedAt: deps.clock.now(),
    };
    const key = bookingLinkRequestsKey(eventId);
    // One hash tag, one transaction: the list never outgrows its cap, nor outlives its expiry.
    await deps.redis
      .multi()
      .lpush(key, JSON.stringify(request))
      .ltrim(key, 0, KEPT_REQUESTS - 1)
      .pexpire(key, REQUEST_KEPT_MS)
      .exec();
  }
  return { status: 'recorded', delivery: 'not_sent_yet' };
}
