import { createHash } from 'node:crypto';
import { makeSlotId } from '../../shared/api/bookings.ts';
import {
  type EventSchedule,
  eventScheduleSchema,
  type PlannedSlot,
  plannedSlotsOn,
} from '../../shared/event-schedule.ts';
import { NO_HOURS } from '../../shared/opening-hours.ts';
import { addDays, dateInZone, slotOpensAt, zonedTimeToEpochMs } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { readStoreHours } from '../hours/store-hours.ts';
import { SCHEDULED_EVENTS_INDEX_KEY } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { readStore, type Store } from '../stock/stores.ts';
import { readEvent } from './events.ts';
import { eventKeys } from './keys.ts';

const fillDayScript = scriptAt('fill-day', import.meta.url, { keys: ['storeSlots', 'filled'] });

/** How often each instance looks at every schedule; a change made by an admin fills at once. */
export const SCHEDULE_FILL_INTERVAL_MS = 60_000;

/** What one fill did, summed over days. */
export interface FillCounts {
  created: number;
  updated: number;
  removed: number;
  kept: number;
}
const NOTHING: FillCounts = { created: 0, updated: 0, removed: 0, kept: 0 };

function addCounts(a: FillCounts, b: FillCounts): FillCounts {
  return {
    created: a.created + b.created,
    updated: a.updated + b.updated,
    removed: a.removed + b.removed,
    kept: a.kept + b.kept,
  };
}

/** Every schedule of an event, by store id. */
export async function readSchedules(deps: Deps, eventId: string): Promise<Record<string, EventSchedule>> {
  const raw = await deps.redis.hgetall(eventKeys(eventId).schedules);
  return Object.fromEntries(
    Object.entries(raw).map(([storeId, json]) => [storeId, eventScheduleSchema.parse(JSON.parse(json))]),
  );
}

/**
 * Sets (or with `null` removes) the event's schedule at a store, and fills its window at once.
 * Removing a schedule stops the filling; slots already made stay.
 */
export async function setSchedule(
  deps: Deps,
  eventId: string,
  storeId: string,
  schedule: EventSchedule | null,
): Promise<FillCounts> {
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  if (!(await readStore(deps, storeId))) throw new AppError('STORE_NOT_FOUND', { storeId });
  const k = eventKeys(eventId);
  if (schedule === null) {
    await deps.redis.hdel(k.schedules, storeId);
    return NOTHING;
  }
  await deps.redis.hset(k.schedules, storeId, JSON.stringify(eventScheduleSchema.parse(schedule)));
  // The untagged index after the event's record, so it never names an event without schedules.
  await deps.redis.sadd(SCHEDULED_EVENTS_INDEX_KEY, eventId);
  return fillSchedule(deps, eventId, storeId);
}

/**
 * Makes the event's slots at a store what its schedule plans, from tomorrow (store time) to
 * `daysAhead` days on. Days whose plan was already applied are skipped without a script.
 */
export async function fillSchedule(deps: Deps, eventId: string, storeId: string): Promise<FillCounts> {
  const k = eventKeys(eventId);
  const [raw, store, hours, filled] = await Promise.all([
    deps.redis.hget(k.schedules, storeId),
    readStore(deps, storeId),
    readStoreHours(deps, storeId),
    deps.redis.hgetall(k.filledDays(storeId)),
  ]);
  if (raw === null || !store) return NOTHING;
  const schedule = eventScheduleSchema.parse(JSON.parse(raw));
  const today = dateInZone(deps.clock.now(), store.timeZone);
  let counts = NOTHING;
  for (let d = 1; d <= schedule.daysAhead; d++) {
    const date = addDays(today, d);
    const plan = plannedSlotsOn(schedule, hours ?? NO_HOURS, date, store.timeZone);
    const fingerprint = fingerprintOf(schedule.capacity, plan);
    if (filled[date] === fingerprint) continue;
    counts = addCounts(
      counts,
      await fillDay(deps, eventId, store, date, schedule.capacity, plan, fingerprint),
    );
  }
  // Days that have begun are never filled again: their records go.
  const past = Object.keys(filled).filter((date) => date <= today);
  if (past.length > 0) await deps.redis.hdel(k.filledDays(storeId), ...past);
  return counts;
}

/** Removes the unbooked slots of one day at a store (a closure), whatever made them. */
export async function clearDay(deps: Deps, eventId: string, store: Store, date: string): Promise<FillCounts> {
  const from = zonedTimeToEpochMs(date, '00:00', store.timeZone);
  const to = zonedTimeToEpochMs(addDays(date, 1), '00:00', store.timeZone);
  if ((await deps.redis.zcount(eventKeys(eventId).storeSlots(store.id), from, `(${to}`)) === 0)
    return NOTHING;
  return fillDay(deps, eventId, store, date, 1, [], fingerprintOf(0, []));
}

function fingerprintOf(capacity: number, plan: readonly PlannedSlot[]): string {
  const text = JSON.stringify([capacity, plan.map((s) => [s.time, s.startsAt, s.endsAt])]);
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** One day in one atomic step (fill-day.lua), with the day's slots read just before. */
async function fillDay(
  deps: Deps,
  eventId: string,
  store: Store,
  date: string,
  capacity: number,
  plan: readonly PlannedSlot[],
  fingerprint: string,
): Promise<FillCounts> {
  const k = eventKeys(eventId);
  const dayStart = zonedTimeToEpochMs(date, '00:00', store.timeZone);
  const dayEnd = zonedTimeToEpochMs(addDays(date, 1), '00:00', store.timeZone);
  const planned = plan.map((s) => ({ ...s, id: makeSlotId(eventId, store.id, date, s.time) }));
  const outcome = await fillDayScript.decideWithFreshKeys<FillCounts>(deps.redis, async () => {
    const existing = await deps.redis.zrangebyscore(k.storeSlots(store.id), dayStart, `(${dayEnd}`);
    return {
      keys: { storeSlots: k.storeSlots(store.id), filled: k.filledDays(store.id) },
      args: [
        eventId,
        store.id,
        date,
        fingerprint,
        dayStart,
        dayEnd,
        slotOpensAt(date, store.timeZone),
        capacity,
        planned.length,
        existing.length,
        ...planned.flatMap((s) => [s.id, s.startsAt, s.endsAt]),
        ...existing,
      ],
      extraKeys: [...planned.map((s) => k.slot(s.id)), ...existing.map((id) => k.slot(id))],
    };
  });
  if (!outcome.ok) throw new AppError(outcome.code, outcome.details);
  return outcome.body;
}

/** Stores filled side by side: Redis runs one script at a time, the round trips overlap. */
const FILL_CONCURRENCY = 8;

/** Fills every schedule of every event once. */
export async function fillAllSchedules(deps: Deps): Promise<FillCounts> {
  const work: [string, string][] = [];
  for (const eventId of await deps.redis.smembers(SCHEDULED_EVENTS_INDEX_KEY)) {
    for (const storeId of await deps.redis.hkeys(eventKeys(eventId).schedules)) work.push([eventId, storeId]);
  }
  let counts = NOTHING;
  let next = 0;
  const worker = async () => {
    for (let item = work[next++]; item !== undefined; item = work[next++]) {
      const filled = await fillSchedule(deps, item[0], item[1]);
      counts = addCounts(counts, filled);
    }
  };
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, worker));
  return counts;
}

/**
 * Every instance fills every schedule on a timer, as the sweeper sweeps: fill-day.lua makes a
 * day exactly once whoever runs it, so no leader is needed and a dead instance misses nothing.
 */
export function startScheduleFiller(
  deps: Deps,
  onError: (error: unknown) => void = console.error,
  intervalMs = SCHEDULE_FILL_INTERVAL_MS,
): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await fillAllSchedules(deps);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
