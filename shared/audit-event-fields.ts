import type { AuditEvent, KnownAuditEvent } from './audit-events.ts';

/**
 * What an audit event is about (its products, tablet, stores, slots, hold, booking), read from
 * the typed events of audit-events.ts, so that no reader picks fields out of `data` by name.
 */

/** Whether the event was typed (its type is one this code knows). */
export function isKnownAuditEvent(event: AuditEvent): event is KnownAuditEvent {
  return event.type !== 'unknown';
}

/** The type an entry was written with, known or not (for filters and displays). */
export function typeNameOf(event: AuditEvent): string {
  return event.type === 'unknown' ? event.rawType : event.type;
}

/** The products an event is about: one for most stock events, every product of an import. */
export function skusOf(event: AuditEvent): string[] {
  if (event.type === 'catalog.imported') return (event.data.products ?? []).map((p) => p.sku);
  if (event.type === 'lease.frozen') return event.data.skus;
  const sku = (event.data as { sku?: unknown }).sku;
  return typeof sku === 'string' ? [sku] : [];
}

/** The tablet an event is about or was made by, if any. */
export function deviceOf(event: AuditEvent): string | undefined {
  const own = (event.data as { deviceId?: unknown }).deviceId;
  if (typeof own === 'string') return own;
  const actor = event.actor as { deviceId?: unknown } | null;
  return typeof actor?.deviceId === 'string' ? actor.deviceId : undefined;
}

/** The stores an event concerns: a move between two stores concerns both. */
export function storesOf(event: AuditEvent): string[] {
  if (event.type === 'booking.rescheduled' || event.type === 'booking.moved_away')
    return [...new Set([event.data.fromStore, event.data.toStore, event.data.storeId])];
  if (event.type === 'slots.generated') return event.data.stores;
  return event.storeId === undefined ? [] : [event.storeId];
}

/** The slots an event changed the seats of. */
export function slotsOf(event: AuditEvent): string[] {
  if (event.type === 'booking.rescheduled' || event.type === 'booking.moved_away')
    return [...new Set([event.data.fromSlot, event.data.toSlot])];
  const slot = (event.data as { slotId?: unknown }).slotId;
  return typeof slot === 'string' ? [slot] : [];
}

type WithText<F extends string> = Extract<KnownAuditEvent, { data: Record<F, string> }>;
const withText =
  <F extends string>(field: F) =>
  (event: AuditEvent): event is WithText<F> =>
    event.type !== 'unknown' && typeof (event.data as Record<string, unknown>)[field] === 'string';

/** Events about one pickup hold. */
export const isHoldEvent = withText('holdId');
/** Events about one booking. */
export const isBookingEvent = withText('bookingId');

/** The pickup hold an event is about, if any. */
export function holdIdOf(event: AuditEvent): string | undefined {
  return isHoldEvent(event) ? event.data.holdId : undefined;
}

/** The booking an event is about, if any. */
export function bookingIdOf(event: AuditEvent): string | undefined {
  return isBookingEvent(event) ? event.data.bookingId : undefined;
}
