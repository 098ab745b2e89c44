import {
  AUDIT_EVENT_VERSION,
  type AuditEventOf,
  type KnownAuditEventType,
  knownAuditEventSchema,
} from '../../shared/audit-events.ts';
import type { Actor, Deps } from '../deps.ts';
import { listStores } from '../stock/stores.ts';
import { eventAuditStream, storeAuditStream } from './streams.ts';

/**
 * Appends one event that an admin's or a tablet's change outside a Lua script makes (issue
 * 15 §5): checked against its schema first, so TypeScript writes what every reader parses.
 * Written right after the change it records; the change itself is a plain write (a name, a
 * setting), not a scarce number, so nothing is oversold if a crash falls in between.
 */
export async function appendAuditEvent<K extends KnownAuditEventType>(
  deps: Deps,
  stream: string,
  type: K,
  actor: Actor,
  data: AuditEventOf<K>['data'],
): Promise<string> {
  const at = deps.clock.now();
  knownAuditEventSchema.parse({ id: '0-0', stream, v: AUDIT_EVENT_VERSION, type, actor, at, data });
  // No MAXLEN, as prelude.lua's audit(): only the archiver's trimming removes entries.
  const id = await deps.redis.xadd(
    stream,
    '*',
    'type',
    type,
    'actor',
    JSON.stringify(actor),
    'at',
    at,
    'data',
    JSON.stringify(data),
    'v',
    AUDIT_EVENT_VERSION,
  );
  return id ?? '';
}

/** An event was created or changed (its name, its bookings per customer). */
export function recordEventSaved(
  deps: Deps,
  actor: Actor,
  event: { id: string; name: string; perCustomerLimit: number },
  before: { name: string } | undefined,
): Promise<string> {
  return appendAuditEvent(deps, eventAuditStream(event.id), 'event.saved', actor, {
    name: event.name,
    perCustomerLimit: event.perCustomerLimit,
    ...(before && before.name !== event.name ? { nameBefore: before.name } : {}),
  });
}

/** An event's slots were made (or made again) at some stores. */
export function recordSlotsGenerated(
  deps: Deps,
  actor: Actor,
  eventId: string,
  plan: {
    storeIds: string[];
    capacity: number;
    firstDate: string;
    days: number;
    dayStart: string;
    dayEnd: string;
    slotMinutes: number;
  },
  slots: number,
): Promise<string> {
  const { storeIds, capacity, firstDate, days, dayStart, dayEnd, slotMinutes } = plan;
  return appendAuditEvent(deps, eventAuditStream(eventId), 'slots.generated', actor, {
    slots,
    capacity,
    stores: storeIds,
    firstDate,
    days,
    dayStart,
    dayEnd,
    slotMinutes,
  });
}

/** A product's hold limits changed: they apply at every store, so every store's log says so. */
export async function recordHoldLimitChanged(
  deps: Deps,
  actor: Actor,
  limit: { sku: string; maxPerHold: number; maxHeldAtOnce?: number | undefined },
  before: { maxPerHold: number; maxHeldAtOnce?: number | undefined },
): Promise<void> {
  const stores = await listStores(deps);
  const atOnce = (n: number | undefined) => (n === undefined ? {} : { maxHeldAtOnce: n });
  const data = {
    sku: limit.sku,
    maxPerHold: limit.maxPerHold,
    ...atOnce(limit.maxHeldAtOnce),
    before: { maxPerHold: before.maxPerHold, ...atOnce(before.maxHeldAtOnce) },
  };
  await Promise.all(
    stores.map((s) => appendAuditEvent(deps, storeAuditStream(s.id), 'product.limits_changed', actor, data)),
  );
}

/** A tablet traded its enrollment code for a credential: from now on it acts at the store. */
export function recordTabletEnrolled(
  deps: Deps,
  device: { deviceId: string; storeId: string },
  name: string,
): Promise<string> {
  const actor: Actor = { role: 'staff', deviceId: device.deviceId, storeId: device.storeId };
  return appendAuditEvent(deps, storeAuditStream(device.storeId), 'tablet.enrolled', actor, {
    deviceId: device.deviceId,
    name,
  });
}

/** An admin renamed a tablet. */
export function recordTabletRenamed(
  deps: Deps,
  actor: Actor,
  device: { deviceId: string; storeId: string; name: string },
  nameBefore: string,
): Promise<string> {
  return appendAuditEvent(deps, storeAuditStream(device.storeId), 'tablet.renamed', actor, {
    deviceId: device.deviceId,
    nameBefore,
    name: device.name,
  });
}
