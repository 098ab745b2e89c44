import { type Customer, customerKey } from '../../shared/api/common.ts';
import { sha256 } from '../crypto.ts';
import { customerPrefix, eventPrefix } from '../redis/keys.ts';

/**
 * The one place that names a customer identity's keys, under `{cu:<hash>}` (redis/keys.ts):
 * what one customer holds spans stores, so it is counted under the customer's own tag.
 */
export function customerIdentityKeys(customer: Pick<Customer, 'email' | 'phone'>) {
  const c = customerPrefix(sha256(customerKey(customer)).slice(0, 32));
  return {
    /** The customer's claims on units of `sku`: hold id -> `<quantity>|<claimed at>`. */
    heldUnits: (sku: string) => `${c}held:${sku}`,
  };
}

/**
 * Requests for a booking's link again, kept under the event's tag until the notifier (issue 11,
 * notifications) sends them: newest first, capped, each an object of link-requests.ts.
 */
export function bookingLinkRequestsKey(eventId: string): string {
  return `${eventPrefix(eventId)}msg:booking-link`;
}
