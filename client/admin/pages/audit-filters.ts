import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';
import { ALL_AUDIT_EVENT_TYPES, storesOf } from '../../../shared/audit-events.ts';
import type { StoreSummary } from './use-stores.ts';

/** The audit page's filters, as typed in its form. */
export interface AuditFilters {
  source: 'all' | 'stores' | 'events';
  storeId: string;
  eventId: string;
  type: string;
  sku: string;
  deviceId: string;
  actor: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = {
  source: 'all',
  storeId: '',
  eventId: '',
  type: '',
  sku: '',
  deviceId: '',
  actor: '',
  from: '',
  to: '',
};

/** Every type of shared/audit-events.ts and each family ("hold"), offered as suggestions. */
export const KNOWN_TYPES = [
  ...new Set(ALL_AUDIT_EVENT_TYPES.flatMap((type) => [type.slice(0, type.indexOf('.')), type])),
].sort();

/** The query string of the filters (datetime-local values are the admin's local time). */
export function auditQueryOf(f: AuditFilters): URLSearchParams {
  const q = new URLSearchParams({ source: f.source });
  for (const key of ['storeId', 'eventId', 'type', 'sku', 'deviceId', 'actor'] as const) {
    if (f[key].trim()) q.set(key, f[key].trim());
  }
  if (f.from) q.set('from', String(new Date(f.from).getTime()));
  if (f.to) q.set('to', String(new Date(f.to).getTime() + 59_999));
  return q;
}

/**
 * The zone an entry's time is read in: its store's; for an event's entry without a store, the
 * first store it names; else the first store's (every time a person reads is a store's, labelled).
 */
export function entryTimeZone(
  entry: AdminAuditEntry,
  stores: StoreSummary[] | undefined,
): string | undefined {
  const zoneOf = (id: string | undefined) => stores?.find((s) => s.id === id)?.timeZone;
  return zoneOf(entry.storeId) ?? zoneOf(storesOf(entry)[0]) ?? stores?.[0]?.timeZone;
}
