/**
 * The Redis key layout. Every invariant lives inside one hash tag (DESIGN, Server):
 * - `{st:<storeId>}` holds a store's stock, pickup holds, leases, idempotency records and
 *   audit stream: "held + leased never exceeds on-hand" is per store and sku.
 * - `{ev:<eventId>}` holds an event's slots, bookings and per-customer counts for every
 *   store: "one booking per customer per event" spans stores, so the event is the unit.
 * - `{auth}` holds devices and enrollment codes; `{rl}` the rate limiter's counters.
 */
export function storePrefix(storeId: string): string {
  return `{st:${storeId}}:`;
}

export function eventPrefix(eventId: string): string {
  return `{ev:${eventId}}:`;
}

export const AUTH_PREFIX = '{auth}:';
export const RATE_LIMIT_PREFIX = '{rl}';

/** Store ids in display order; the directory itself is not an invariant, so it is untagged. */
export const STORES_INDEX_KEY = 'stores';
export const EVENTS_INDEX_KEY = 'events';

export function storeMetaKey(storeId: string): string {
  return `${storePrefix(storeId)}meta`;
}

export function eventMetaKey(eventId: string): string {
  return `${eventPrefix(eventId)}meta`;
}
