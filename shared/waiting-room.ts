/**
 * The waiting room of an event's release (issue 10 §3), as pure rules shared by the server and
 * the customer page. Anchor: Cloudflare Waiting Room's "random" queueing method for scheduled
 * events: whoever is waiting at the opening (T0) gets a random place, so arriving a second
 * early or running a bot earlier gains nothing; later arrivals queue in arrival order.
 *
 * A place's state, as its customer sees it:
 *   before_opening  in the room before T0; the order is drawn at T0
 *   waiting         in line, with a place and an estimated wait
 *   your_turn       admitted: holds a ticket that the booking endpoint takes until it runs out
 *   used            booked with the ticket
 *   expired         the ticket ran out unused; the place went to the next customer
 *   sold_out        every released spot is taken: nobody still waiting will get one
 */
export const PLACE_STATES = [
  'before_opening',
  'waiting',
  'your_turn',
  'used',
  'expired',
  'sold_out',
] as const;
export type PlaceState = (typeof PLACE_STATES)[number];

/** The header a booking carries its admission ticket in (the token the join answered with). */
export const WAITING_ROOM_TICKET_HEADER = 'waiting-room-ticket';

const MINUTE_MS = 60_000;

/** How long the customer at `position` (1 = next) should wait at `admissionsPerMinute`. */
export function estimatedWaitMs(position: number, admissionsPerMinute: number): number {
  if (admissionsPerMinute <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((position * MINUTE_MS) / admissionsPerMinute);
}

/** A place as stored (server/waiting-room/lua): its own state, before the room's state is applied. */
export interface StoredPlace {
  state: 'waiting' | 'admitted' | 'used' | 'expired';
  expiresAt?: number;
}

/** What a customer is told about `place`, given the room's opening, sell-out and the time. */
export function placeState(
  place: StoredPlace,
  room: { opensAt: number; soldOut: boolean },
  now: number,
): PlaceState {
  if (place.state === 'used') return 'used';
  if (place.state === 'admitted') return now < (place.expiresAt ?? 0) ? 'your_turn' : 'expired';
  if (place.state === 'expired') return 'expired';
  if (room.soldOut) return 'sold_out';
  return now < room.opensAt ? 'before_opening' : 'waiting';
}
