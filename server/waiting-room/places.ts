import type { Customer } from '../../shared/api/common.ts';
import { customerKey } from '../../shared/api/common.ts';
import type { WaitingPlace } from '../../shared/api/waiting-room.ts';
import { estimatedWaitMs, placeState, type StoredPlace } from '../../shared/waiting-room.ts';
import { AppError } from '../app-error.ts';
import { eventKeys } from '../appointments/keys.ts';
import { sha256 } from '../crypto.ts';
import type { Deps } from '../deps.ts';

const MINUTE_MS = 60_000;

/** A room's hash as read from Redis. */
export type RoomHash = Record<string, string | undefined>;

/** A place's id: the sha256 of its token, so Redis never holds a token that books. */
export function placeIdOf(token: string): string {
  return sha256(token);
}

/** A stored place as its customer sees it, given the room and the place's rank in line. */
export function placeView(
  eventId: string,
  stored: StoredPlace,
  room: { opensAt: number; soldOut: boolean },
  rank: number | null,
  waiting: number,
  admissionsPerMinute: number,
  now: number,
): WaitingPlace {
  const state = placeState(stored, room, now);
  const place: WaitingPlace = { eventId, state, opensAt: room.opensAt, waiting };
  if (state === 'waiting' && rank !== null) {
    place.position = rank + 1;
    place.estimatedWaitMs = estimatedWaitMs(rank + 1, admissionsPerMinute);
  }
  if (state === 'your_turn' && stored.expiresAt !== undefined) place.ticketExpiresAt = stored.expiresAt;
  return place;
}

/** The place a customer (email or phone) holds in the line, without its token, if any. */
export async function readPlaceOfCustomer(
  deps: Deps,
  eventId: string,
  customer: Customer,
): Promise<WaitingPlace | undefined> {
  const id = await deps.redis.hget(eventKeys(eventId).roomCustomers, customerKey(customer));
  if (id === null) return undefined;
  try {
    return await readPlaceById(deps, eventId, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'WAITING_ROOM_PLACE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** A place as its customer sees it; an unknown token reads as "no such place". */
export async function readPlace(deps: Deps, eventId: string, token: string): Promise<WaitingPlace> {
  return await readPlaceById(deps, eventId, placeIdOf(token));
}

async function readPlaceById(deps: Deps, eventId: string, id: string): Promise<WaitingPlace> {
  const k = eventKeys(eventId);
  const [[, room], [, raw], [, rank], [, waiting]] = (await deps.redis
    .pipeline()
    .hgetall(k.room)
    .hget(k.roomPlaces, id)
    .zrank(k.roomQueue, id)
    .zcard(k.roomQueue)
    .exec()) as [unknown, unknown][] as [
    [unknown, RoomHash],
    [unknown, string | null],
    [unknown, number | null],
    [unknown, number],
  ];
  if (!raw) throw new AppError('WAITING_ROOM_PLACE_NOT_FOUND');
  const stored = JSON.parse(raw) as StoredPlace;
  return placeView(
    eventId,
    stored,
    { opensAt: Number(room.opensAt ?? 0), soldOut: room.soldOutAt !== undefined },
    rank,
    waiting,
    paceOf(room),
    deps.clock.now(),
  );
}

/**
 * Customers let in per minute, for wait estimates: the set rate; while following bookings, the
 * pace last measured (admit.lua), and before any, as if every admitted customer took their whole
 * ticket to book (activeLimit per ticket lifetime), never above the set rate.
 */
/** The room's fields its pace is read from (the room hash, or join-room.lua's answer). */
export type PaceFields = Partial<
  Record<'admissionsPerMinute' | 'activeLimit' | 'ticketMs' | 'measuredPerMinute', string>
>;

export function paceOf(room: PaceFields): number {
  const rate = Number(room.admissionsPerMinute ?? 0);
  if (room.activeLimit === undefined) return rate;
  const measured =
    room.measuredPerMinute !== undefined
      ? Number(room.measuredPerMinute)
      : (Number(room.activeLimit) * MINUTE_MS) / Math.max(1, Number(room.ticketMs ?? MINUTE_MS));
  return Math.max(1, Math.min(rate, Math.round(measured)));
}
