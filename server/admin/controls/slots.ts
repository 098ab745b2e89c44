import type { AdminSlotView, SlotBookingView } from '../../../shared/api/admin-controls.ts';
import { type BookingStatus, parseSlotId } from '../../../shared/api/bookings.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../../shared/time.ts';
import { slotView } from '../../appointments/events.ts';
import { eventKeys } from '../../appointments/keys.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { type Outcome, scriptAt } from '../../redis/lua-script.ts';
import { type MutationContext, mutationArgs } from '../../redis/mutation.ts';
import { listStores, readStore, type Store } from '../../stock/stores.ts';

// The scripts live with the other appointment scripts (server/appointments/lua/).
const APPOINTMENTS = new URL('../../appointments/', import.meta.url).href;
const capacityScript = scriptAt('set-slot-capacity', APPOINTMENTS, { keys: ['idem', 'audit', 'slot'] });
const closeScript = scriptAt('close-slot', APPOINTMENTS, { keys: ['idem', 'audit', 'slot'] });

/** Without a date, the admin's slot list covers the coming week (as the public one does). */
const DEFAULT_WINDOW_DAYS = 7;

type SlotHash = Record<string, string | number | undefined>;

export function adminSlotView(h: SlotHash): AdminSlotView {
  const view: AdminSlotView = { ...slotView(h), booked: Number(h.booked ?? 0) };
  if (h.closedAt !== undefined && h.closedAt !== '') view.closedAt = Number(h.closedAt);
  return view;
}

/** An event's slots at one store or every store, on one store-local day or the coming week. */
export async function listAdminSlots(
  deps: Deps,
  eventId: string,
  query: { storeId?: string | undefined; date?: string | undefined },
): Promise<AdminSlotView[]> {
  const stores = await storesOf(deps, query.storeId);
  const k = eventKeys(eventId);
  const now = deps.clock.now();
  const idLists = await Promise.all(
    stores.map((store) => {
      const day = query.date ?? dateInZone(now, store.timeZone);
      const from = zonedTimeToEpochMs(day, '00:00', store.timeZone);
      const to = zonedTimeToEpochMs(
        addDays(day, query.date ? 1 : DEFAULT_WINDOW_DAYS),
        '00:00',
        store.timeZone,
      );
      return deps.redis.zrangebyscore(k.storeSlots(store.id), from, `(${to}`);
    }),
  );
  const pipeline = deps.redis.pipeline();
  for (const id of idLists.flat()) pipeline.hgetall(k.slot(id));
  return ((await pipeline.exec()) ?? [])
    .map(([, value]) => value as SlotHash)
    .filter((h) => h.id !== undefined)
    .map(adminSlotView)
    .sort((a, b) => a.startsAt - b.startsAt || a.storeId.localeCompare(b.storeId));
}

/**
 * The store-local days on which the event has slots (at one store or every store), with how
 * many: the console lists one day at a time (the demo event has 336 slots in a week).
 */
export async function listSlotDays(
  deps: Deps,
  eventId: string,
  storeId: string | undefined,
): Promise<{ date: string; slots: number }[]> {
  const stores = await storesOf(deps, storeId);
  const k = eventKeys(eventId);
  const perDay = new Map<string, number>();
  await Promise.all(
    stores.map(async (store) => {
      const reply = await deps.redis.zrange(k.storeSlots(store.id), '0', '-1', 'WITHSCORES');
      // Sorted by start: the zone math runs once per day, not once per slot.
      let day = '';
      let dayEnds = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < reply.length; i += 2) {
        const startsAt = Number(reply[i]);
        if (startsAt >= dayEnds) {
          day = dateInZone(startsAt, store.timeZone);
          dayEnds = zonedTimeToEpochMs(addDays(day, 1), '00:00', store.timeZone);
        }
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
    }),
  );
  return [...perDay].map(([date, slots]) => ({ date, slots })).sort((a, b) => a.date.localeCompare(b.date));
}

async function storesOf(deps: Deps, storeId: string | undefined): Promise<Store[]> {
  if (!storeId) return await listStores(deps);
  const store = await readStore(deps, storeId);
  if (!store) throw new AppError('STORE_NOT_FOUND');
  return [store];
}

function eventOfSlot(slotId: string): string {
  const slot = parseSlotId(slotId);
  if (!slot) throw new AppError('SLOT_NOT_FOUND');
  return slot.eventId;
}

function slotKeys(slotId: string, ctx: MutationContext) {
  const k = eventKeys(eventOfSlot(slotId));
  return { idem: k.idempotency(ctx.idempotencyKey), audit: k.audit, slot: k.slot(slotId) };
}

/** Sets a slot's seats; refused (CAPACITY_BELOW_BOOKED) below what is already booked. */
export async function setSlotCapacity(
  deps: Deps,
  slotId: string,
  capacity: number,
  ctx: MutationContext,
): Promise<Outcome<AdminSlotView>> {
  const outcome = await capacityScript.decide<{ slot: SlotHash }>(
    deps.redis,
    slotKeys(slotId, ctx),
    mutationArgs(deps, ctx, [slotId, capacity]),
  );
  return outcome.ok ? { ...outcome, body: adminSlotView(outcome.body.slot) } : outcome;
}

/** Closes a slot to new bookings (bookings made stay), or opens it again. */
export async function setSlotClosed(
  deps: Deps,
  slotId: string,
  closed: boolean,
  ctx: MutationContext,
): Promise<Outcome<AdminSlotView>> {
  const outcome = await closeScript.decide<{ slot: SlotHash }>(
    deps.redis,
    slotKeys(slotId, ctx),
    mutationArgs(deps, ctx, [slotId, closed ? '1' : '0']),
  );
  return outcome.ok ? { ...outcome, body: adminSlotView(outcome.body.slot) } : outcome;
}

/** A slot's active bookings (booked, checked in, no-show) with the customers' names and contacts. */
export async function listSlotBookings(deps: Deps, slotId: string): Promise<SlotBookingView[]> {
  const k = eventKeys(eventOfSlot(slotId));
  const slot = await deps.redis.hgetall(k.slot(slotId));
  if (!slot.id || !slot.storeId) throw new AppError('SLOT_NOT_FOUND');
  // A store's bookings are indexed by start time; those of other slots starting then are skipped.
  const ids = await deps.redis.zrangebyscore(
    k.storeBookings(slot.storeId),
    slot.startsAt ?? 0,
    slot.startsAt ?? 0,
  );
  const pipeline = deps.redis.pipeline();
  for (const id of ids) pipeline.hgetall(k.booking(id));
  return ((await pipeline.exec()) ?? [])
    .map(([, value]) => value as Record<string, string>)
    .filter((b) => b.id !== undefined && b.slotId === slotId)
    .map((b): SlotBookingView => {
      const view: SlotBookingView = {
        id: b.id ?? '',
        status: b.status as BookingStatus,
        createdAt: Number(b.createdAt),
        customer: JSON.parse(b.customer ?? '{}') as SlotBookingView['customer'],
      };
      if (b.acknowledgedAt) view.acknowledgedAt = Number(b.acknowledgedAt);
      if (b.checkedInAt) view.checkedInAt = Number(b.checkedInAt);
      return view;
    })
    .sort((a, b) => a.customer.name.localeCompare(b.customer.name));
}
