import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';
import { type AuditEvent, skusOf, typeNameOf } from '../../../shared/audit-events.ts';

/** A moment in the store's zone, labelled: "Dec 7, 9:25 AM HST" (issue 15 §4). */
export function storeMoment(at: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
    timeZoneName: 'short',
  }).format(at);
}

/** "9:00 AM, Dec 8" from a slot id (`<event>.<store>.<yyyymmddhhmm>`, in store time). */
export function slotLabel(slotId: string): string {
  const m = /(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(slotId);
  if (!m) return slotId;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi);
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return `${time.format(at)}, ${day.format(at)}`;
}

const units = (n: number) => `${n} x`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const HOLD_STEP_NOUNS: Record<string, string> = {
  'hold.confirm': 'Confirmation by the customer',
  'hold.ack': 'Receipt by the store',
  'hold.accept': 'Acceptance',
  'hold.pick': 'Picking',
  'hold.hand_over': 'Hand-over',
  'hold.cancel': 'Cancellation',
};

const BOOKING_MARKS: Record<string, string> = {
  'booking.ack': 'received by the store',
  'booking.check_in': 'checked in',
  'booking.no_show': 'marked as a no-show',
  'booking.cancel': 'cancelled',
};

/** What happened, in words: "Hand-over of 1 x Car charger (CHG-ALOHA-5)". */
export function describeAuditEntry(entry: AdminAuditEntry, timeZone?: string): string {
  const e = entry as AuditEvent & Pick<AdminAuditEntry, 'names'>;
  const [firstSku = ''] = skusOf(e);
  const product = e.names?.product ? `${e.names.product} (${firstSku})` : firstSku;
  const why = e.reason ? `: ${e.reason}` : '';
  const at = (ms: number) => storeMoment(ms, timeZone);
  switch (e.type) {
    case 'stock.receive':
      return `Received ${units(e.data.delta)} ${product}${why}`;
    case 'stock.count': {
      const diff = e.data.delta;
      const change =
        diff === 0 ? 'as expected' : `${Math.abs(diff)} ${diff < 0 ? 'fewer' : 'more'} than expected`;
      return `Count of ${product}: ${e.data.counted ?? e.data.onHandAfter} on the shelf, ${change}${why}`;
    }
    case 'stock.sale':
      return `Sale of ${units(-e.data.delta)} ${product}`;
    case 'stock.write_off':
      return `Write-off of ${units(-e.data.delta)} ${product}${why}`;
    case 'stock.shortfall':
      return `Shortfall of ${units(e.data.shortfall)} ${product}: holds and leases promise more than the shelf has`;
    case 'hold.created':
      return `Hold of ${units(e.data.quantity)} ${product} for a customer${e.data.expiresAt ? `, to confirm by ${at(e.data.expiresAt)}` : ''}`;
    case 'hold.expired':
      return `Hold of ${units(e.data.quantity)} ${product} expired unconfirmed`;
    case 'hold.confirm':
    case 'hold.ack':
    case 'hold.accept':
    case 'hold.pick':
    case 'hold.hand_over':
    case 'hold.cancel':
      return `${HOLD_STEP_NOUNS[e.type]} of ${units(e.data.quantity)} ${product}`;
    case 'lease.taken':
      return `${units(e.data.quantity)} ${product} kept for selling offline until ${at(e.data.expiresAt)}`;
    case 'lease.returned':
      return `${units(e.data.quantity)} ${product} given back from a lease`;
    case 'lease.revoked':
      return `${units(e.data.quantity)} ${product} taken back from a tablet's lease`;
    case 'lease.expired':
      return `${units(e.data.quantity)} ${product} reclaimed: the lease ran out unreported`;
    case 'lease.sale':
      return `Offline sale of ${units(e.data.quantity)} ${product}`;
    case 'lease.write_off':
      return `Offline write-off of ${units(e.data.quantity)} ${product}${why}`;
    case 'lease.frozen':
      return `Tablet revoked: ${plural(e.data.unreported, 'unit')} it kept (${e.data.skus.join(', ')}) stay out of sale until reported or settled`;
    case 'lease.settled':
      return `${units(e.data.quantity)} ${product} of a revoked tablet ${e.data.decision === 'write_off' ? 'written off' : e.data.decision === 'return' ? 'returned to the shelf' : 'settled'}${why}`;
    case 'catalog.imported': {
      const skus = skusOf(e);
      const shown = skus.slice(0, 5).join(', ');
      const more = skus.length > 5 ? ` and ${skus.length - 5} more` : '';
      return `Import of ${plural(e.data.created + e.data.updated, 'product')} (${e.data.created} new, ${e.data.updated} updated)${skus.length ? `: ${shown}${more}` : ''}`;
    }
    case 'product.limits_changed':
      return `Limits of ${product}: at most ${e.data.maxPerHold} per hold${e.data.maxHeldAtOnce === undefined ? '' : `, ${e.data.maxHeldAtOnce} held at once per customer`}`;
    case 'tablet.enrolled':
      return `Tablet "${e.data.name}" enrolled`;
    case 'tablet.renamed':
      return `Tablet "${e.data.nameBefore}" renamed "${e.data.name}"`;
    case 'tablet.revoked':
      return `Tablet${e.data.name ? ` "${e.data.name}"` : ''} revoked${why}`;
    case 'booking.created':
      return `Booking for ${slotLabel(e.data.slotId)}`;
    case 'booking.ack':
    case 'booking.check_in':
    case 'booking.no_show':
    case 'booking.cancel':
      return `Booking for ${slotLabel(e.data.slotId)} ${BOOKING_MARKS[e.type]}`;
    case 'booking.undo':
      return `Booking for ${slotLabel(e.data.slotId)}: ${e.data.statusBefore === 'no_show' ? 'no-show' : 'check-in'} undone`;
    case 'booking.rescheduled':
    case 'booking.moved_away':
      return `Booking moved from ${slotLabel(e.data.fromSlot)} at ${e.data.fromStore} to ${slotLabel(e.data.toSlot)} at ${e.data.toStore}`;
    case 'event.saved':
      return e.data.nameBefore
        ? `Event "${e.data.nameBefore}" renamed "${e.data.name}"`
        : `Event "${e.data.name}" saved${e.data.perCustomerLimit === undefined ? '' : `, ${plural(e.data.perCustomerLimit, 'booking')} per customer`}`;
    case 'slots.generated':
      return `${plural(e.data.slots, 'slot')} of ${plural(e.data.capacity, 'seat')} made at ${e.data.stores.join(', ')}${e.data.firstDate ? ` from ${e.data.firstDate} for ${plural(e.data.days ?? 1, 'day')}, ${e.data.dayStart}–${e.data.dayEnd} store time` : ''}`;
    case 'slot.closed':
      return `Slot ${slotLabel(e.data.slotId)} closed to new bookings (${e.data.booked} booked)`;
    case 'slot.reopened':
      return `Slot ${slotLabel(e.data.slotId)} open to bookings again (${e.data.booked} booked)`;
    case 'slot.capacity_changed':
      return `Seats of slot ${slotLabel(e.data.slotId)}: ${e.data.capacityBefore} to ${e.data.capacityAfter} (${e.data.booked} booked)`;
    case 'waitingroom.configured':
      return e.data.enabled
        ? `Waiting room on: ${e.data.admissionsPerMinute} per minute, opens ${at(e.data.opensAt)}`
        : 'Waiting room off';
    case 'waitingroom.admitted':
      return `Waiting room${e.data.opened ? ' opened' : ''}: ${e.data.admitted} let in, ${e.data.expired} tickets ran out, ${e.data.waiting} waiting`;
    case 'waitingroom.sold_out':
      return `Every released spot taken: ${plural(e.data.waiting, 'customer')} still waiting told`;
    case 'waitingroom.reopened':
      return 'A released spot is free again';
    case 'unknown':
      return `${typeNameOf(e)}: ${JSON.stringify(e.data)}`;
  }
}

/** The whole sentence: what, by whom, when ("Hand-over of 1 x Car charger (CHG-ALOHA-5) by Front counter, Dec 7, 9:25 AM HST"). */
export function auditSentence(entry: AdminAuditEntry, timeZone?: string): string {
  return `${describeAuditEntry(entry, timeZone)} by ${entry.names?.actor ?? 'someone'}, ${storeMoment(entry.at, timeZone)}`;
}
