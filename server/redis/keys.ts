/**
 * The Redis key layout's hash tags. Every invariant lives inside one tag (DESIGN, Server), and
 * each capability's key module names the keys under its tag: stock/keys.ts (a store's stock,
 * holds, leases, idempotency records), appointments/keys.ts (an event's slots, bookings and
 * per-customer counts), auth/keys.ts (devices and enrollment codes); audit/streams.ts names the
 * audit streams. Scripts get those names as KEYS and never build one from an argument.
 * - `{st:<storeId>}`: "held + leased never exceeds on-hand" is per store and sku.
 * - `{ev:<eventId>}`: "one booking per customer per event" spans stores, so the event is the unit.
 * - `{cu:<hash of a customer identity>}`: "units of a product one customer holds at once" spans
 *   stores, so the customer is the unit (customer/keys.ts).
 * - `{auth}` holds devices and enrollment codes; `{rl}` the rate limiter's counters.
 */
export function storePrefix(storeId: string): string {
  return `{st:${storeId}}:`;
}

export function eventPrefix(eventId: string): string {
  return `{ev:${eventId}}:`;
}

/** `identity` is a hash of the normalized email or phone: no contact detail in a key name. */
export function customerPrefix(identity: string): string {
  return `{cu:${identity}}:`;
}

export const AUTH_PREFIX = '{auth}:';
export const RATE_LIMIT_PREFIX = '{rl}';

/** Store ids in display order; the directory itself is not an invariant, so it is untagged. */
export const STORES_INDEX_KEY = 'stores';
export const EVENTS_INDEX_KEY = 'events';
/** Events with a schedule at some store: what each instance's schedule filler looks at. */
export const SCHEDULED_EVENTS_INDEX_KEY = 'scheduled-events';
/** Events whose waiting room is on: what each instance's admission ticker looks at. */
export const WAITING_ROOMS_INDEX_KEY = 'waiting-rooms';

/** A store's record; shared by stock (storeKeys().meta), auth and sync, which check that a store exists. */
export function storeMetaKey(storeId: string): string {
  return `${storePrefix(storeId)}meta`;
}

/** An event's record (eventKeys().meta). */
export function eventMetaKey(eventId: string): string {
  return `${eventPrefix(eventId)}meta`;
}
