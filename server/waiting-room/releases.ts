import { DAY_MS } from '../../shared/time.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { Deps } from '../deps.ts';
import { STORES_INDEX_KEY } from '../redis/keys.ts';

/** How far ahead releases are looked for (slot lists cover a week, like the customer page). */
const RELEASE_LOOKAHEAD_MS = 8 * DAY_MS;
/** A slot opens at midnight the day before it (store time), so released slots start within two days. */
const RELEASED_WINDOW_MS = 2 * DAY_MS;

/** The counters of one slot that a release is judged by. */
interface SlotCounters {
  startsAt: number;
  opensAt: number;
  capacity: number;
  booked: number;
  closed: boolean;
}

/** The event's slots starting in (from, to], at every store, with their counters. */
async function readSlotsStarting(
  deps: Deps,
  eventId: string,
  from: number,
  to: number,
): Promise<SlotCounters[]> {
  const k = eventKeys(eventId);
  const storeIds = await deps.redis.zrange(STORES_INDEX_KEY, '0', '-1');
  const pipeline = deps.redis.pipeline();
  for (const storeId of storeIds) pipeline.zrangebyscore(k.storeSlots(storeId), `(${from}`, to);
  const ids = ((await pipeline.exec()) ?? []).flatMap(([, value]) => value as string[]);
  const reads = deps.redis.pipeline();
  for (const id of ids) reads.hmget(k.slot(id), 'startsAt', 'opensAt', 'capacity', 'booked', 'closedAt');
  return ((await reads.exec()) ?? []).map(([, value]) => {
    const [startsAt, opensAt, capacity, booked, closedAt] = value as (string | null)[];
    return {
      startsAt: Number(startsAt),
      opensAt: Number(opensAt),
      capacity: Number(capacity ?? 0),
      booked: Number(booked ?? 0),
      closed: closedAt !== null && closedAt !== '',
    };
  });
}

/** A release: an instant at which some of the event's slots open, and the first slot it opens. */
export interface Release {
  opensAt: number;
  firstStartsAt: number;
}

/** The event's releases whose slots start after `from` (within the look-ahead), earliest first. */
export async function listReleases(deps: Deps, eventId: string, from: number): Promise<Release[]> {
  const slots = await readSlotsStarting(deps, eventId, from, from + RELEASE_LOOKAHEAD_MS);
  const byOpening = new Map<number, number>();
  for (const slot of slots) {
    if (!Number.isFinite(slot.opensAt)) continue;
    byOpening.set(
      slot.opensAt,
      Math.min(byOpening.get(slot.opensAt) ?? Number.POSITIVE_INFINITY, slot.startsAt),
    );
  }
  return [...byOpening.entries()]
    .map(([opensAt, firstStartsAt]) => ({ opensAt, firstStartsAt }))
    .sort((a, b) => a.opensAt - b.opensAt);
}

/** The event's next release time: the earliest opening still to come among its slots. */
export async function nextReleaseAt(deps: Deps, eventId: string, now: number): Promise<number | undefined> {
  return (await listReleases(deps, eventId, now)).find((r) => r.opensAt > now)?.opensAt;
}

/** The release that opens at exactly `opensAt`, if any slot of the event opens then. */
export async function releaseAt(deps: Deps, eventId: string, opensAt: number): Promise<Release | undefined> {
  return (await listReleases(deps, eventId, opensAt)).find((r) => r.opensAt === opensAt);
}

/**
 * Whether every spot of the release the room guards is taken, by the counters: there is at
 * least one slot that opened at T0 or later, is open now and has not started, and none of them
 * has a seat left. A room whose T0 opened no slot is never "sold out": nothing was released.
 */
export async function isReleaseSoldOut(
  deps: Deps,
  eventId: string,
  opensAt: number,
  now: number,
): Promise<boolean> {
  const released = (await readSlotsStarting(deps, eventId, now, now + RELEASED_WINDOW_MS)).filter(
    (slot) => slot.opensAt >= opensAt && slot.opensAt <= now,
  );
  return released.length > 0 && released.every((slot) => slot.closed || slot.booked >= slot.capacity);
}
