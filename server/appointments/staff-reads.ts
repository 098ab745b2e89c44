import { ownerOfId } from '../../shared/ids.ts';
import type { Deps } from '../deps.ts';
import { bookingViewForStaff } from './bookings.ts';
import { eventKeys } from './keys.ts';

/**
 * Some bookings as staff see them, whatever their store, with their event's name; a booking
 * that does not exist is left out.
 */
export async function readStaffBookings(deps: Deps, bookingIds: string[]) {
  const known = bookingIds.flatMap((id) => {
    const eventId = ownerOfId(id);
    return eventId ? [{ id, eventId }] : [];
  });
  if (known.length === 0) return [];
  const eventIds = [...new Set(known.map((b) => b.eventId))];
  const pipeline = deps.redis.pipeline();
  for (const eventId of eventIds) pipeline.hget(eventKeys(eventId).meta, 'name');
  for (const { id, eventId } of known) pipeline.hgetall(eventKeys(eventId).booking(id));
  const replies = (await pipeline.exec()) ?? [];
  const names = new Map(eventIds.map((eventId, i) => [eventId, (replies[i]?.[1] as string | null) ?? '']));
  return replies
    .slice(eventIds.length)
    .map(([, value]) => value as Record<string, string>)
    .filter((b) => b.id !== undefined)
    .map((b) => bookingViewForStaff(b, names.get(String(b.eventId)) || undefined));
}
