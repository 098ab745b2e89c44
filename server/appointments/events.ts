import { z } from 'zod';
import { MAX_BOOKINGS_PER_CUSTOMER, makeSlotId, type SlotView } from '../../shared/api/bookings.ts';
import { dateSchema, slugSchema } from '../../shared/api/common.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { addDays, slotOpensAt, timeInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { EVENTS_INDEX_KEY } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { readStore } from '../stores/stores.ts';
import { eventKeys } from './keys.ts';

const MINUTE_MS = 60_000;
/**
 * One plan is one script (all or nothing), and Redis runs nothing else meanwhile: 20,000
 * slots take about half a second. A longer plan is sent in parts.
 */
export const MAX_SLOTS_PER_PLAN = 20_000;
const generateSlotsScript = scriptAt('generate-slots', import.meta.url);
const timeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

export const createEventSchema = z
  .object({
    id: slugSchema,
    name: z.string().trim().min(1).max(120),
    /** How many active bookings one customer may hold for this event (DESIGN: "configurable"). */
    perCustomerLimit: z.number().int().min(1).max(MAX_BOOKINGS_PER_CUSTOMER).default(1),
  })
  .strict();
export type EventInput = z.input<typeof createEventSchema>;

export const generateSlotsSchema = z
  .object({
    storeIds: z.array(slugSchema).min(1).max(100),
    firstDate: dateSchema,
    days: z.number().int().min(1).max(60),
    dayStart: timeSchema.default('09:00'),
    dayEnd: timeSchema.default('17:00'),
    slotMinutes: z.number().int().min(5).max(480).default(30),
    capacity: z.number().int().min(1).max(100_000),
  })
  .strict()
  .refine((s) => s.dayStart < s.dayEnd, { message: 'dayStart must be before dayEnd', path: ['dayEnd'] })
  .refine((s) => slotsInPlan(s) <= MAX_SLOTS_PER_PLAN, {
    message: `at most ${MAX_SLOTS_PER_PLAN} slots at once: generate fewer stores or days per request`,
  });
export type SlotPlan = z.input<typeof generateSlotsSchema> & { eventId: string };

/** How many slots a plan makes: each day's slots run from dayStart to dayEnd in store time. */
function slotsInPlan(p: {
  storeIds: string[];
  days: number;
  dayStart: string;
  dayEnd: string;
  slotMinutes: number;
}) {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  const perDay = Math.ceil((minutes(p.dayEnd) - minutes(p.dayStart)) / p.slotMinutes);
  return p.storeIds.length * p.days * Math.max(0, perDay);
}

export interface EventView {
  id: string;
  name: string;
  perCustomerLimit: number;
}

/** Creates or renames an event. */
export async function createEvent(deps: Deps, input: EventInput): Promise<EventView> {
  const event = createEventSchema.parse(input);
  // Two commands, not one MULTI: the untagged index and the event's keys may sit on different
  // Cluster nodes. The meta goes first, so the index never names an event that is not there.
  await deps.redis.hset(eventKeys(event.id).meta, event);
  await deps.redis.zadd(EVENTS_INDEX_KEY, 0, event.id);
  return event;
}

export const bookingLimitSchema = z
  .object({ perCustomerLimit: createEventSchema.shape.perCustomerLimit.unwrap() })
  .strict()
  .describe('Active bookings one customer (email or phone) may hold for the event');

/**
 * Changes how many active bookings one customer may hold for the event (issue 10 §4). book.lua
 * reads it in its atomic step; bookings already made stay.
 */
export async function setBookingLimit(
  deps: Deps,
  eventId: string,
  perCustomerLimit: number,
): Promise<EventView> {
  const event = await readEvent(deps, eventId);
  if (!event) throw new AppError('EVENT_NOT_FOUND');
  await deps.redis.hset(eventKeys(eventId).meta, 'perCustomerLimit', perCustomerLimit);
  return { ...event, perCustomerLimit };
}

/** One event, or undefined when there is none with that id. */
export async function readEvent(deps: Deps, eventId: string): Promise<EventView | undefined> {
  const h = await deps.redis.hgetall(eventKeys(eventId).meta);
  if (!h.id) return undefined;
  // book.lua reads a missing limit as 1; say the same here.
  return { id: h.id, name: h.name ?? '', perCustomerLimit: Number(h.perCustomerLimit ?? 1) };
}

/** Every event, by id. */
export async function listEvents(deps: Deps): Promise<EventView[]> {
  const ids = await deps.redis.zrange(EVENTS_INDEX_KEY, '0', '-1');
  const events = await Promise.all(ids.map((id) => readEvent(deps, id)));
  return events.filter((e): e is EventView => e !== undefined);
}

/**
 * Creates the slots of an event at each store, in each store's time zone. Safe to run
 * again: existing slots keep their bookings (capacity and times are refreshed). All or
 * nothing: an unknown store, or a slot with more bookings than the new capacity, is refused
 * (CAPACITY_BELOW_BOOKED, naming the slot) and changes nothing.
 */
export async function generateSlots(deps: Deps, plan: SlotPlan): Promise<{ slots: number }> {
  const { eventId, ...rest } = plan;
  const p = generateSlotsSchema.parse(rest);
  if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
  const k = eventKeys(eventId);
  // Every store is checked before anything is written: one unknown store changes nothing.
  const stores = await Promise.all(p.storeIds.map((storeId) => readStore(deps, storeId)));
  const unknown = p.storeIds.find((_, i) => stores[i] === undefined);
  if (unknown !== undefined) throw new AppError('STORE_NOT_FOUND', { storeId: unknown });
  const slotKeys: string[] = [];
  const slotArgs: (string | number)[] = [];
  for (const [i, storeId] of p.storeIds.entries()) {
    const store = stores[i];
    if (store === undefined) continue;
    for (let d = 0; d < p.days; d++) {
      const date = addDays(p.firstDate, d);
      const opensAt = slotOpensAt(date, store.timeZone);
      const dayEndsAt = zonedTimeToEpochMs(date, p.dayEnd, store.timeZone);
      for (
        let t = zonedTimeToEpochMs(date, p.dayStart, store.timeZone);
        t < dayEndsAt;
        t += p.slotMinutes * MINUTE_MS
      ) {
        const id = makeSlotId(eventId, storeId, date, timeInZone(t, store.timeZone));
        slotKeys.push(k.slot(id));
        slotArgs.push(id, i + 1, t, t + p.slotMinutes * MINUTE_MS, opensAt);
      }
    }
  }
  const outcome = await generateSlotsScript.decide<{ slots: number }>(
    deps.redis,
    {},
    [eventId, p.capacity, slotKeys.length, p.storeIds.length, ...p.storeIds, ...slotArgs],
    [...slotKeys, ...p.storeIds.map((storeId) => k.storeSlots(storeId))],
  );
  if (!outcome.ok) throw refusalOf(outcome.code, outcome.details);
  return outcome.body;
}

/** A slot-capacity refusal that names the slot and its bookings, as the admin needs to act on it. */
export function refusalOf(code: ErrorCode, details: Record<string, unknown> | undefined): AppError {
  if (code !== 'CAPACITY_BELOW_BOOKED' || details === undefined) return new AppError(code, details);
  const { slotId, booked, requested } = details;
  return new AppError(
    code,
    details,
    `Slot ${String(slotId)} already has ${String(booked)} booked; it cannot have ${String(requested)} seats. Nothing was changed.`,
  );
}

/** A slot hash as the wire shape, with the seats that remain. */
export function slotView(h: Record<string, string | number | undefined>): SlotView {
  const capacity = Number(h.capacity);
  return {
    id: String(h.id),
    eventId: String(h.eventId),
    storeId: String(h.storeId),
    startsAt: Number(h.startsAt),
    endsAt: Number(h.endsAt),
    opensAt: Number(h.opensAt),
    capacity,
    // A slot an admin closed takes no more bookings (book.lua): it shows no seats left.
    remaining: h.closedAt ? 0 : Math.max(0, capacity - Number(h.booked ?? 0)),
  };
}

/** Slots of an event at the given stores starting in [from, to), by start time. */
export async function listSlots(
  deps: Deps,
  eventId: string,
  storeIds: string[],
  from: number,
  to: number,
): Promise<SlotView[]> {
  const k = eventKeys(eventId);
  const idLists = await Promise.all(
    storeIds.map((storeId) => deps.redis.zrangebyscore(k.storeSlots(storeId), from, `(${to}`)),
  );
  const pipeline = deps.redis.pipeline();
  for (const id of idLists.flat()) pipeline.hgetall(k.slot(id));
  const replies = (await pipeline.exec()) ?? [];
  return replies
    .map(([, value]) => value as Record<string, string>)
    .filter((h) => h.id !== undefined)
    .map(slotView)
    .sort((a, b) => a.startsAt - b.startsAt || a.storeId.localeCompare(b.storeId));
}
