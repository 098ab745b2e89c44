import { randomInt } from 'node:crypto';
import type { Customer } from '../../shared/api/common.ts';
import { customerKey } from '../../shared/api/common.ts';
import type {
  JoinedWaitingRoom,
  WaitingRoomAdminView,
  WaitingRoomPublicView,
  WaitingRoomSettings,
} from '../../shared/api/waiting-room.ts';
import { PLACES_PER_CONNECTION_DEFAULT, waitingRoomSettingsSchema } from '../../shared/api/waiting-room.ts';
import { newSecret } from '../../shared/ids.ts';
import { DAY_MS } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import { readEvent } from '../appointments/events.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { Actor, Deps } from '../deps.ts';
import { WAITING_ROOMS_INDEX_KEY } from '../redis/keys.ts';
import { type Outcome, scriptAt } from '../redis/lua-script.ts';
import { actorJson, type MutationContext, mutationArgs } from '../redis/mutation.ts';
import {
  type PaceFields,
  paceOf,
  placeIdOf,
  placeView,
  type RoomHash,
  readPlace,
  readPlaceOfCustomer,
} from './places.ts';
import { isReleaseSoldOut, listReleases, nextReleaseAt, releaseAt } from './releases.ts';

const MINUTE_MS = 60_000;
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
  constants: { ROOM_KEPT_MS, PLACES_PER_CONNECTION_DEFAULT },
});
const admitScript = scriptAt('admit', import.meta.url, {
  keys: ['room', 'queue', 'tickets', 'places', 'audit'],
  constants: { ROOM_KEPT_MS },
});
const soldOutScript = scriptAt('mark-sold-out', import.meta.url, { keys: ['room', 'queue', 'audit'] });

export { placeIdOf };

async function readRoomHash(deps: Deps, eventId: string): Promise<RoomHash> {
  return await deps.redis.hgetall(eventKeys(eventId).room);
}

/** The room is configured and on (its opensAt known). */
function isOn(room: RoomHash): boolean {
  return room.on === '1';
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
      issues: [{ path: 'opensAt', message: 'the event has no release to come: create its slots first' }],
    });
  }
  if (settings.enabled) await checkOpening(deps, eventId, opensAt, now);
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

/**
 * A room that is on opens at a release (issue 16 §1): an opening still to come at which no slot
 * of the event opens would promise customers spots that do not open then, and guard nothing.
 * An opening already past is allowed: it means "every slot released since then needs a turn".
 */
async function checkOpening(deps: Deps, eventId: string, opensAt: number, now: number): Promise<void> {
  if (opensAt <= now || (await releaseAt(deps, eventId, opensAt))) return;
  const releases = (await listReleases(deps, eventId, now)).filter((r) => r.opensAt > now).slice(0, 5);
  throw new AppError('WAITING_ROOM_OPENING_NOT_A_RELEASE', {
    opensAt,
    releases: releases.map((r) => ({ opensAt: r.opensAt, at: new Date(r.opensAt).toISOString() })),
  });
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
    placesPerConnection: Number(room.placesPerConnection ?? PLACES_PER_CONNECTION_DEFAULT),
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
  const opensAt = Number(room.opensAt);
  const view: WaitingRoomPublicView = {
    enabled: true,
    opensAt,
    admissionsPerMinute: paceOf(room),
    waiting: await deps.redis.zcard(eventKeys(eventId).roomQueue),
    soldOut: room.soldOutAt !== undefined,
  };
  // What the opening releases, so the line promises only spots that do open then (issue 16 §1).
  const release = await releaseAt(deps, eventId, opensAt);
  if (release) view.releaseFirstStartsAt = release.firstStartsAt;
  return view;
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
  if (!outcome.ok) {
    // The same email or phone on a second device sees its place (issue 16 §5), never its token.
    if (outcome.code === 'WAITING_ROOM_ALREADY_JOINED' && outcome.details?.by === 'customer') {
      const place = await readPlaceOfCustomer(deps, eventId, customer);
      if (place) return { ...outcome, details: { ...outcome.details, place } };
    }
    return outcome;
  }
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
 * One tick of a room: first whether every released spot is taken (then everyone waiting is
 * told at once, and nobody more is admitted), then the admission step.
 */
export async function tickWaitingRoom(deps: Deps, eventId: string): Promise<void> {
  const now = deps.clock.now();
  const room = await readRoomHash(deps, eventId);
  if (isOn(room) && now >= Number(room.opensAt ?? 0)) {
    const soldOut = await isReleaseSoldOut(deps, eventId, Number(room.opensAt), now);
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
  onError: (error: unknown) => void = console.error,
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
