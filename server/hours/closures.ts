import { hoursOn, type StoreHours } from '../../shared/opening-hours.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { AppError } from '../app-error.ts';
import { eventKeys } from '../appointments/keys.ts';
import { clearDay, fillSchedule } from '../appointments/schedules.ts';
import type { Deps } from '../deps.ts';
import { EVENTS_INDEX_KEY } from '../redis/keys.ts';
import { readStore, type Store } from '../stock/stores.ts';
import { readStoreHours, todayLabelOf, writeStoreHours } from './store-hours.ts';

/** A closure is checked this far ahead: the longest window a schedule keeps filled. */
const CLOSURE_HORIZON_DAYS = 366;

/** A booking a closure would leave without its store, as the admin needs to act on it. */
export interface AffectedBooking {
  bookingId: string;
  eventId: string;
  slotId: string;
  startsAt: number;
  customerName: string;
}

/** Store-local dates from today on that were open before and are closed now. */
function newlyClosedDates(
  store: Store,
  before: StoreHours | undefined,
  after: StoreHours,
  now: number,
): string[] {
  const today = dateInZone(now, store.timeZone);
  const dates: string[] = [];
  for (let d = 0; d < CLOSURE_HORIZON_DAYS; d++) {
    const date = addDays(today, d);
    const wasOpen = before === undefined || hoursOn(before, date).ranges.length > 0;
    if (wasOpen && hoursOn(after, date).ranges.length === 0) dates.push(date);
  }
  return dates;
}

/** The active bookings at the store, of any event, on those dates. */
async function bookingsOn(deps: Deps, store: Store, dates: readonly string[]): Promise<AffectedBooking[]> {
  const eventIds = await deps.redis.zrange(EVENTS_INDEX_KEY, '0', '-1');
  const found: AffectedBooking[] = [];
  for (const eventId of eventIds) {
    const k = eventKeys(eventId);
    const pipeline = deps.redis.pipeline();
    for (const date of dates) {
      const from = zonedTimeToEpochMs(date, '00:00', store.timeZone);
      const to = zonedTimeToEpochMs(addDays(date, 1), '00:00', store.timeZone);
      pipeline.zrangebyscore(k.storeBookings(store.id), from, `(${to}`);
    }
    const ids = ((await pipeline.exec()) ?? []).flatMap(([, value]) => value as string[]);
    for (const id of ids) {
      const [slotId, startsAt, customer] = await deps.redis.hmget(
        k.booking(id),
        'slotId',
        'startsAt',
        'customer',
      );
      const name = (JSON.parse(customer ?? '{}') as { name?: string }).name ?? '';
      found.push({
        bookingId: id,
        eventId,
        slotId: slotId ?? '',
        startsAt: Number(startsAt),
        customerName: name,
      });
    }
  }
  return found.sort((a, b) => a.startsAt - b.startsAt);
}

/**
 * Replaces a store's hours. A day newly closed that has bookings is refused, naming them, and
 * nothing changes; otherwise the hours are saved and each newly closed day loses its unbooked
 * slots of every event, and scheduled events follow the new hours at once.
 */
export async function replaceStoreHours(
  deps: Deps,
  storeId: string,
  hours: StoreHours,
): Promise<{ hours: StoreHours; today?: string }> {
  const store = await readStore(deps, storeId);
  if (!store) throw new AppError('STORE_NOT_FOUND', { storeId });
  const before = await readStoreHours(deps, storeId);
  const closed = newlyClosedDates(store, before, hours, deps.clock.now());
  const affected = closed.length > 0 ? await bookingsOn(deps, store, closed) : [];
  if (affected.length > 0) {
    const names = affected.map((b) => `${b.customerName} (${b.slotId})`).join(', ');
    throw new AppError(
      'CLOSURE_HAS_BOOKINGS',
      { bookings: affected },
      `The store cannot close on a day with booked appointments: ${names}. Cancel them first; nothing was changed.`,
    );
  }
  // A booking landing between this check and the clearing keeps its slot (fill-day.lua never
  // removes a booked slot): the day then shows it to staff rather than losing it.
  await writeStoreHours(deps, storeId, hours);
  const eventIds = await deps.redis.zrange(EVENTS_INDEX_KEY, '0', '-1');
  for (const eventId of eventIds) {
    for (const date of closed) await clearDay(deps, eventId, store, date);
    await fillSchedule(deps, eventId, storeId);
  }
  const today = todayLabelOf(deps, hours, store.timeZone);
  return today === undefined ? { hours } : { hours, today };
}
