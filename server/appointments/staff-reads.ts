import { ownerOfId } from '../../shared/ids.ts';
import type { Deps } from '../deps.ts';
import { bookingViewForStaff } from './bookings.ts';
import { eventKeys } from './keys.ts';

/** Some bookings as staff see them, whatever their store; a booking that does not exist is left out. */
export async function readStaffBookings(deps: Deps, bookingIds: string[]) {
  const known = bookingIds.flatMap((id) => {
    const eventId = ownerOfId(id);
    return eventId ? [{ id, eventId }] : [];
  });
  if (known.length === 0) return [];
  const pipeline = deps.redis.pipeline();
  for (const { id, eventId } of known) pipeline.hgetall(eventKeys(eventId).booking(id));
  return ((await pipeline.exec()) ?? [])
    .map(([, value]) => value as Record<string, string>)
    .filter((b) => b.id !== undefined)
    .map(bookingViewForStaff);
}
