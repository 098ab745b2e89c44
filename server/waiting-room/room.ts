import { randomInt } from 'node:crypto';
import type { Customer } from '../../shared/api/common.ts';
import { customerKey } from '../../shared/api/common.ts';
import type {
  JoinedWaitingRoom,
  WaitingPlace,
  WaitingRoomAdminView,
  WaitingRoomPublicView,
  WaitingRoomSettings,
} from '../../shared/api/waiting-room.ts';
import { waitingRoomSettingsSchema } from '../../shared/api/waiting-room.ts';
import { newSecret } from '../../shared/ids.ts';
import { estimatedWaitMs, placeState, type StoredPlace } from '../../shared/waiting-room.ts';
import { AppError } from '../app-error.ts';
import { readEvent } from '../appointments/events.ts';
import { eventKeys } from '../appointments/keys.ts';
import { sha256 } from '../auth/devices.ts';
import type { Actor, Deps } from '../deps.ts';
import { STORES_INDEX_KEY, WAITING_ROOMS_INDEX_KEY } from '../redis/keys.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import { actorJson, type MutationContext, mutationArgs } from '../redis/mutation.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How far ahead the next release is looked for (slot lists cover a week, like the customer page). */
const RELEASE_LOOKAHEAD_MS = 8 * DAY_MS;
/** A slot opens at midnight the day before it (store time), so released slots start within two days. */
const RELEASED_WINDOW_MS = 2 * DAY_MS;
/** Draws before T0 are integers below this, scaled into [0, 1): ties are as rare as 1 in 2^47. */
const DRAW_RANGE = 2 ** 47;

/**
 * A room's keys are kept this long after its last change (configured, joined, a step that
 * admitted): the places hold who waited (email or phone, client address) only as long as the
 * release needs them, and a room nobody touches any more goes away by itself.
 */
export const ROOM_KEPT_MS = 3 * DAY_MS;

const configureScript = scriptAt('configure-room', import.meta.url, {
  keys: ['room', 'audit'],
  constants: { ROOM_KEPT_MS },
});
const joinScript = scriptAt('join-room', import.meta.url, {
  keys: ['idem', 'room', 'queue', 'places', 'customers', 'addresses'],
  constants: { ROOM_KEPT_MS },
});
const admitScript = scriptAt('admit', import.meta.url, {
  keys: ['room', 'queue', 'tickets', 'places', 'audit'],
  constants: { ROOM_KEPT_MS },
});
const soldOutScript = scriptAt('mark-sold-out', import.meta.url, { keys: ['room', 'queue', 'audit'] });

/** A place's id: the sha256 of its token, so Redis never holds a token that books. */
export function placeIdOf(token: string): string {
  return sha256(token);
}

type RoomHash = Record<string, string | undefined>;

async function readRoomHash(deps: Deps, eventId: string): Promise<RoomHash> {
  return await deps.redis.hgetall(eventKeys(eventId).room);
}

/** The room is configured and on (its opensAt known). */
function isOn(room: RoomHash): boolean {
  return room.on === '1';
}

/** The event's next release time: the earliest opening still to come among its slots. */
export async function nextReleaseAt(deps: Deps, eventId: string, now: number): Promise<number | undefined> {
  const k = eventKeys(eventId);
  const storeIds = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
  const pipeline = deps.redis.pipeline();
  for (const storeId of storeIds)
    pipeline.zrangebyscore(k.storeSlots(storeId), now, now + RELEASE_LOOKAHEAD_MS);
  const ids = ((await pipeline.exec()) ?? []).flatMap(([, value]) => value as string[]);
  const reads = deps.redis.pipeline();
  for (const id of ids) reads.hget(k.slot(id), 'opensAt');
  const opens = ((await reads.exec()) ?? [])
    .map(([, value]) => Number(value))
    .filter((t) => Number.isFinite(t) && t > now);
  return opens.length > 0 ? Math.min(...opens) : undefined;
}

/** Turns an event's waiting room on or off, or changes its rate, ticket lifetime or T0. */
export async function configureWaitingRoom(
  deps: Deps,
  eventId: string,
  input: WaitingRoomSettings,
  actor: Actor,
): Promise<WaitingRoomAdminView> {
  const settings = waitingRoomSettingsSchema.parse(input);
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  const now = deps.clock.now();
  const current = await readRoomHash(deps, eventId);
  const opensAt =
    settings.opensAt ??
    (current.opensAt !== undefined ? Number(current.opensAt) : await nextReleaseAt(deps, eventId, now));
  if (opensAt === undefined) {
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path: 'opensAt', message: 'the event has no release to come: give the opening time' }],
    });
  }
  const k = eventKeys(eventId);
  await configureScript.call(deps.redis, { room: k.room, audit: k.audit }, [
    now,
    settings.enabled ? '1' : '0',
    settings.admissionsPerMinute,
    settings.ticketMinutes * MINUTE_MS,
    opensAt,
    settings.placesPerConnection,
    actorJson(actor),
    settings.activeLimit ?? '',
  ]);
  // The untagged index may sit on another Cluster node: it is written after the room itself.
  if (settings.enabled) await deps.redis.sadd(WAITING_ROOMS_INDEX_KEY, eventId);
  else await deps.redis.srem(WAITING_ROOMS_INDEX_KEY, eventId);
  return await readWaitingRoomForAdmin(deps, eventId);
}

/** The room's settings and counts, for the admin's events page. */
export async function readWaitingRoomForAdmin(deps: Deps, eventId: string): Promise<WaitingRoomAdminView> {
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  const k = eventKeys(eventId);
  const [room, waiting, active] = await Promise.all([
    readRoomHash(deps, eventId),
    deps.redis.zcard(k.roomQueue),
    deps.redis.zcard(k.roomTickets),
  ]);
  const view: WaitingRoomAdminView = {
    eventId,
    enabled: isOn(room),
    admissionsPerMinute: Number(room.admissionsPerMinute ?? 0),
    ticketMinutes: Number(room.ticketMs ?? 0) / MINUTE_MS,
    placesPerConnection: Number(room.placesPerConnection ?? 1),
    opensAt: Number(room.opensAt ?? 0),
    joined: Number(room.joined ?? 0),
    waiting,
    admitted: Number(room.admitted ?? 0),
    expired: Number(room.expired ?? 0),
    active,
  };
  if (room.activeLimit !== undefined) view.activeLimit = Number(room.activeLimit);
  if (room.measuredPerMinute !== undefined) view.measuredPerMinute = Number(room.measuredPerMinute);
  if (room.openedAt !== undefined) view.openedAt = Number(room.openedAt);
  if (room.soldOutAt !== undefined) view.soldOutAt = Number(room.soldOutAt);
  return view;
}

/** Whether bookings of the event need a ticket now, and when its line opens. */
export async function readWaitingRoomForPublic(deps: Deps, eventId: string): Promise<WaitingRoomPublicView> {
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  const room = await readRoomHash(deps, eventId);
  if (!isOn(room)) return { enabled: false, soldOut: false };
  return {
    enabled: true,
    opensAt: Number(room.opensAt),
    admissionsPerMinute: paceOf(room),
    waiting: await deps.redis.zcard(eventKeys(eventId).roomQueue),
    soldOut: room.soldOutAt !== undefined,
  };
}

/**
 * Takes a place in the line for `customer` from `address`. The answer carries the place's
 * token: the customer's key to their place and, once admitted, their ticket.
 */
export async function joinWaitingRoom(
  deps: Deps,
  eventId: string,
  customer: Customer,
  address: string,
  ctx: MutationContext,
): Promise<Outcome<JoinedWaitingRoom>> {
  // An unknown event has no room: the script answers WAITING_ROOM_OFF, with no read before it.
  const token = `wr_${newSecret()}`;
  const k = eventKeys(eventId);
  const keys = {
    idem: k.idempotency(ctx.idempotencyKey),
    room: k.room,
    queue: k.roomQueue,
    places: k.roomPlaces,
    customers: k.roomCustomers,
    addresses: k.roomAddresses,
  };
  const draw = randomInt(DRAW_RANGE) / DRAW_RANGE;
  const outcome = await joinScript.decide<JoinReply>(
    deps.redis,
    keys,
    mutationArgs(deps, ctx, [placeIdOf(token), customerKey(customer), address, draw, token]),
  );
  if (!outcome.ok) return outcome;
  const { body } = outcome;
  const room = { opensAt: body.opensAt, soldOut: body.soldOut };
  // A replay answers later than the join: its state is read again.
  const place = outcome.replayed
    ? await readPlace(deps, eventId, body.token)
    : placeView(
        eventId,
        { state: 'waiting' },
        room,
        body.rank,
        body.waiting,
        paceOf(body.pace),
        deps.clock.now(),
      );
  return { ...outcome, body: { ...place, token: body.token } };
}

/** join-room.lua's answer: the new place, as its page first shows it. */
interface JoinReply {
  token: string;
  opensAt: number;
  pace: PaceFields;
  soldOut: boolean;
  rank: number;
  waiting: number;
}

/** A stored place as its customer sees it, given the room and the place's rank in line. */
function placeView(
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

/** A place as its customer sees it; an unknown token reads as "no such place". */
export async function readPlace(deps: Deps, eventId: string, token: string): Promise<WaitingPlace> {
  const k = eventKeys(eventId);
  const id = placeIdOf(token);
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
type PaceFields = Partial<
  Record<'admissionsPerMinute' | 'activeLimit' | 'ticketMs' | 'measuredPerMinute', string>
>;

function paceOf(room: PaceFields): number {
  const rate = Number(room.admissionsPerMinute ?? 0);
  if (room.activeLimit === undefined) return rate;
  const measured =
    room.measuredPerMinute !== undefined
      ? Number(room.measuredPerMinute)
      : (Number(room.activeLimit) * MINUTE_MS) / Math.max(1, Number(room.ticketMs ?? MINUTE_MS));
  return Math.max(1, Math.min(rate, Math.round(measured)));
}

/** Most places admitted or expired by one step: Redis is never blocked for long. */
const ADMIT_BATCH = 1_000;

/** One admission step of the room at `now` (see admit.lua): safe to run from every instance. */
export async function admitWaiting(
  deps: Deps,
  eventId: string,
  now = deps.clock.now(),
): Promise<{ admitted: number; expired: number }> {
  const k = eventKeys(eventId);
  const keys = {
    room: k.room,
    queue: k.roomQueue,
    tickets: k.roomTickets,
    places: k.roomPlaces,
    audit: k.audit,
  };
  const [admitted, expired] = (await admitScript.call(deps.redis, keys, [now, ADMIT_BATCH])) as [
    number,
    number,
  ];
  return { admitted, expired };
}

/**
 * Whether every spot of the release the room guards is taken: no slot that opened at T0 or
 * later, is open now and has not started, has a seat left. Days released before T0 and days
 * not released yet do not count.
 */
async function isSoldOut(deps: Deps, eventId: string, opensAt: number, now: number): Promise<boolean> {
  const k = eventKeys(eventId);
  const storeIds = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
  const pipeline = deps.redis.pipeline();
  for (const storeId of storeIds)
    pipeline.zrangebyscore(k.storeSlots(storeId), `(${now}`, now + RELEASED_WINDOW_MS);
  const ids = ((await pipeline.exec()) ?? []).flatMap(([, value]) => value as string[]);
  const reads = deps.redis.pipeline();
  for (const id of ids) reads.hmget(k.slot(id), 'opensAt', 'capacity', 'booked', 'closedAt');
  const slots = ((await reads.exec()) ?? []).map(([, value]) => value as (string | null)[]);
  return !slots.some(
    ([slotOpensAt, capacity, booked, closedAt]) =>
      Number(slotOpensAt) >= opensAt &&
      Number(slotOpensAt) <= now &&
      closedAt === null &&
      Number(booked ?? 0) < Number(capacity ?? 0),
  );
}

/**
 * One tick of a room: first whether every released spot is taken (then everyone waiting is
 * told at once, and nobody more is admitted), then the admission step.
 */
export async function tickWaitingRoom(deps: Deps, eventId: string): Promise<void> {
  const now = deps.clock.now();
  const room = await readRoomHash(deps, eventId);
  if (isOn(room) && now >= Number(room.opensAt ?? 0)) {
    const soldOut = await isSoldOut(deps, eventId, Number(room.opensAt), now);
    if (soldOut !== (room.soldOutAt !== undefined)) {
      const k = eventKeys(eventId);
      await soldOutScript.call(deps.redis, { room: k.room, queue: k.roomQueue, audit: k.audit }, [
        now,
        soldOut ? '1' : '0',
      ]);
    }
  }
  await admitWaiting(deps, eventId, now);
}

/** How often each instance runs the admission step of every room that is on. */
export const WAITING_ROOM_TICK_MS = 250;

/** Runs every open room's admission step on this instance; any instance may, at once (admit.lua). */
export function startWaitingRoomTicker(
  deps: Deps,
  onError: (error: unknown) => void = (error) => deps.log.error({ err: error }, 'waiting-room step failed'),
  intervalMs = WAITING_ROOM_TICK_MS,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const eventIds = await deps.redis.smembers(WAITING_ROOMS_INDEX_KEY);
      for (const eventId of eventIds) await tickWaitingRoom(deps, eventId);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
