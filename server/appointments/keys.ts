import { eventAuditStream } from '../audit/streams.ts';
import { eventMetaKey, eventPrefix } from '../redis/keys.ts';

/**
 * The one place that names an event's keys in Redis. Everything lives under the event's hash
 * tag `{ev:<eventId>}` (server/redis/keys.ts): "one booking per customer per event" spans
 * stores, so the event is the unit of atomicity. Scripts receive these names as KEYS, by role.
 */
export function eventKeys(eventId: string) {
  const e = eventPrefix(eventId);
  return {
    /** The event's record (name, per-customer limit); its existence is "the event exists". */
    meta: eventMetaKey(eventId),
    /** The audit stream: the log and the feed of every booking change of the event. */
    audit: eventAuditStream(eventId),
    /** A slot's hash: times, capacity and seats booked. */
    slot: (slotId: string) => `${e}slot:${slotId}`,
    /** The event's schedule at each store (issue 21 §2): store id to its schedule as JSON. */
    schedules: `${e}schedules`,
    /** The days the filler made at a store: date to the fingerprint of the plan it applied. */
    filledDays: (storeId: string) => `${e}filled:${storeId}`,
    /** A store's slots of this event, by start time. */
    storeSlots: (storeId: string) => `${e}slots:${storeId}`,
    /** A booking's hash. */
    booking: (bookingId: string) => `${e}bk:${bookingId}`,
    /** The active bookings of one customer (normalized email or phone) for this event. */
    customerBookings: (customerKey: string) => `${e}cust:${customerKey}`,
    /** A store's active bookings of this event, by start time: the staff's list. */
    storeBookings: (storeId: string) => `${e}bookings:${storeId}`,
    idempotency: (key: string) => `${e}idem:${key}`,
    /** The release's waiting room: settings, T0, admission allowance and counts (waiting-room/). */
    room: `${e}wr`,
    /** Customers in line, by place score: random in [0, 1) if they came before T0, else 1 + arrival number. */
    roomQueue: `${e}wr:queue`,
    /** Admitted places whose ticket is still unused, by the time it runs out. */
    roomTickets: `${e}wr:tickets`,
    /** Every place, by id (sha256 of its token): its state, customer and ticket, as JSON. */
    roomPlaces: `${e}wr:places`,
    /** The place of each customer (normalized email or phone): one place per customer. */
    roomCustomers: `${e}wr:customers`,
    /** Places taken per client address. */
    roomAddresses: `${e}wr:addresses`,
  };
}
export type EventKeys = ReturnType<typeof eventKeys>;
