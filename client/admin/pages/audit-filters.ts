import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';
import { ALL_AUDIT_EVENT_TYPES, storesOf } from '../../../shared/audit-events.ts';
import { zonedTimeToEpochMs } from '../../../shared/time.ts';
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
  /** The zone `from` and `to` are read in: the chosen store's, else the first store's ('' = the browser's). */
  timeZone: string;
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
  timeZone: '',
};

/** Every type of shared/audit-events.ts and each family ("hold"), offered as suggestions. */
export const KNOWN_TYPES = [
  ...new Set(ALL_AUDIT_EVENT_TYPES.flatMap((type) => [type.slice(0, type.indexOf('.')), type])),
].sort();

/** A datetime-local value (`YYYY-MM-DDTHH:MM`) as an instant, read in `timeZone` (store time). */
function instantOf(local: string, timeZone: string): number {
  if (!timeZone) return new Date(local).getTime();
  const [date = '', time = '00:00'] = local.split('T');
  return zonedTimeToEpochMs(date, time.slice(0, 5), timeZone);
}

/** The query string of the filters; `from` and `to` are store time (issue 15 §4). */
export function auditQueryOf(f: AuditFilters): URLSearchParams {
  const q = new URLSearchParams({ source: f.source });
  for (const key of ['storeId', 'eventId', 'type', 'sku', 'deviceId', 'actor'] as const) {
    if (f[key].trim()) q.set(key, f[key].trim());
  }
  if (f.from) q.set('from', String(instantOf(f.from, f.timeZone)));
  if (f.to) q.set('to', String(instantOf(f.to, f.timeZone) + 59_999));
  return q;
}

/** The zone the time filters are read in: the chosen store's, else the first store's. */
export function filterTimeZone(storeId: string, stores: StoreSummary[] | undefined): string {
  return (stores?.find((s) => s.id === storeId) ?? stores?.[0])?.timeZone ?? '';
}

/** "HST": the short name of a zone now, for the labels of the time filters. */
export function zoneLabel(timeZone: string): string {
  if (!timeZone) return 'your time';
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(
    Date.now(),
  );
  return `store time, ${parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone}`;
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
