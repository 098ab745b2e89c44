/**
 * Every error and expected refusal Holdfast can answer with, one line of meaning each.
 * The wire shape is always `{ code, message, details? }`; the server maps codes to HTTP
 * status in one place (server/http/errors.ts). Expected outcomes such as SOLD_OUT are
 * ordinary answers for the person, not crashes: their messages are written for them.
 */
export const ERROR_MESSAGES = {
  /** The request body, query or path did not match its schema. */
  VALIDATION_FAILED: 'The request is not valid.',
  /** A mutating request came without an Idempotency-Key header. */
  IDEMPOTENCY_KEY_MISSING: 'This request needs an Idempotency-Key header.',
  /** The same idempotency key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'This idempotency key was already used for a different request.',
  /** No credential, or one that is unknown. */
  UNAUTHENTICATED: 'Sign in first: this needs a valid credential.',
  /** The device credential was revoked by an admin. */
  DEVICE_REVOKED: 'This tablet was removed from its store by an admin. Enroll it again.',
  /** The credential is valid but may not touch this resource. */
  FORBIDDEN: 'You are not allowed to do this.',
  /** The store does not exist. */
  STORE_NOT_FOUND: 'There is no such store.',
  /** The product is not sold at this store. */
  PRODUCT_NOT_FOUND: 'This store does not carry that product.',
  /** No hold with that id (or the manage token does not match it). */
  HOLD_NOT_FOUND: 'There is no such pickup hold.',
  /** The event does not exist. */
  EVENT_NOT_FOUND: 'There is no such event.',
  /** The slot does not exist. */
  SLOT_NOT_FOUND: 'There is no such time slot.',
  /** No booking with that id (or the manage token does not match it). */
  BOOKING_NOT_FOUND: 'There is no such booking.',
  /** No device with that id. */
  DEVICE_NOT_FOUND: 'There is no such tablet.',
  /** The enrollment code is unknown, used already or expired. */
  ENROLLMENT_CODE_INVALID: 'That enrollment code is not valid. Ask an admin for a new one.',
  /** Not enough available units for the request. */
  SOLD_OUT: 'Not enough units are available.',
  /** More units than one customer may reserve of this product in one hold (details.maxPerHold). */
  HOLD_LIMIT_REACHED: 'That is more than one customer may reserve of this product at once.',
  /** The slot has no seat left. */
  SLOT_FULL: 'This time slot is full.',
  /** The slot's booking window has not opened yet (it opens at midnight store time the day before). */
  SLOT_NOT_OPEN: 'Booking for this time slot has not opened yet.',
  /** The slot has already started, or an admin closed it to new bookings. */
  SLOT_CLOSED: 'This time slot is closed for booking.',
  /** An admin asked for fewer seats than the slot already has booked. */
  CAPACITY_BELOW_BOOKED: 'A time slot cannot have fewer seats than are already booked.',
  /** A store closure would cover appointments customers have booked (details name them). */
  CLOSURE_HAS_BOOKINGS: 'The store cannot close on a day with booked appointments: cancel them first.',
  /** The customer already holds as many bookings for this event as it allows. */
  BOOKING_LIMIT_REACHED: 'You already have a booking for this event.',
  /**
   * The event's release has a waiting room and this booking came without a valid admission
   * ticket: none, one that ran out, or one given to another customer (issue 10 §3).
   */
  WAITING_ROOM_TICKET_REQUIRED:
    'This release has a waiting line: join it, and book when it is your turn (with the ticket it gives you, before it runs out).',
  /** This email or phone, or this connection, already has a place in the event's waiting line. */
  WAITING_ROOM_ALREADY_JOINED: 'You already have a place in this line. Keep the page where you joined open.',
  /** The event has no waiting room turned on: customers book directly. */
  WAITING_ROOM_OFF: 'This event has no waiting line right now: book directly.',
  /** No place in the waiting line for that token. */
  WAITING_ROOM_PLACE_NOT_FOUND: 'There is no such place in the line.',
  /** A waiting room's opening time at which none of the event's slots open: the line would release nothing. */
  WAITING_ROOM_OPENING_NOT_A_RELEASE:
    'No slot of this event opens at that time, so the line would open nothing. Choose one of its release times, or leave the opening empty for the next one.',
  /** The hold ran past its time limit before it was confirmed; its units were released. */
  HOLD_EXPIRED: 'This hold expired before it was confirmed, and its units were released.',
  /** The hold or booking is not in a state that allows this step. */
  INVALID_TRANSITION: 'That step is not possible in the current state.',
  /** A no-show marked before the appointment's slot started (details.startsAt): the customer may still come. */
  SLOT_NOT_STARTED: 'This appointment has not started yet: a no-show can be marked from its start time.',
  /** An undo of a check-in or no-show asked for after the time allowed (shared/booking-steps.ts). */
  UNDO_WINDOW_PASSED: 'It is too late to undo this: a check-in or no-show can be undone for 30 minutes.',
  /** A sale or write-off asked for more than the tablet's lease. */
  LEASE_EXCEEDED: 'This tablet has no lease left for that many units.',
  /**
   * A revoked tablet reported an offline sale or write-off made after it was revoked (its
   * `at` is later than the revocation): only what it did before is taken (issue 15 §1).
   */
  ACTION_AFTER_REVOCATION:
    'This was done after the tablet was removed from the store, so the server does not take it. Tell an admin what happened to the units.',
  /** An admin tried to settle the leased units of a tablet that is still active: it reports them itself. */
  DEVICE_NOT_REVOKED: 'This tablet is still active: it reports or gives back its units itself.',
  /**
   * Revoking this tablet would leave its store with no active tablet while customers' pickups
   * wait (details.waitingPickups); the admin confirms it knowingly (issue 15 §1).
   */
  LAST_TABLET_PICKUPS_WAITING:
    'This is the store’s last active tablet and customers’ pickups are waiting: nobody at the store would see them. Confirm to revoke it anyway.',
  /** The client sent too many requests. */
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  /** The request body is too large. */
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  /** The request body is labelled as something other than JSON (Content-Type). */
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON (Content-Type: application/json).',
  /** The route does not exist. */
  ROUTE_NOT_FOUND: 'There is no such endpoint.',
  /** Redis could not be reached, so the request was not carried out: nothing was changed. */
  REDIS_UNAVAILABLE:
    'The server cannot reach its database right now. Nothing was changed; try again in a moment.',
  /** A change was sent to Redis but the connection died before the reply: it may or may not have happened. */
  OUTCOME_UNKNOWN:
    'The server lost its database connection while saving, so it does not know whether this change was made. Retry with the same Idempotency-Key: it will not be done twice.',
  /**
   * REDIS_WAIT_REPLICAS is set and no replica confirmed the change in time: it was made on the
   * primary, but a failover now could lose it. Retrying with the same Idempotency-Key answers
   * with its result (and waits for the replicas again).
   */
  REPLICATION_UNCONFIRMED:
    'Your request was saved, but its backup copy is not confirmed yet. Try again with the same request in a moment.',
  /** The ledger's PostgreSQL does not answer (or this server has none): a check of the ledger cannot run now. */
  LEDGER_UNAVAILABLE:
    'The ledger (PostgreSQL) cannot be reached right now, so this cannot be checked. Sales go on; try again later.',
  /** No webhook endpoint with that id. */
  WEBHOOK_NOT_FOUND: 'There is no such webhook endpoint.',
  /** No delivery with that id for that webhook endpoint. */
  WEBHOOK_DELIVERY_NOT_FOUND: 'There is no such webhook delivery.',
  /** The URL's host is or resolves to a loopback, private, link-local or metadata address (details.address). */
  WEBHOOK_ADDRESS_REFUSED:
    'Webhooks cannot be sent to a private or local network address. Use a public URL (or set WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true on premises).',
  /** Something failed on the server; nothing was changed. */
  INTERNAL: 'Something went wrong on the server. Nothing was changed; try again.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** The one wire shape of every error. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_MESSAGES, value);
}
