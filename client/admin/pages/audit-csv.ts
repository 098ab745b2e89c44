import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';
import { deviceOf, skusOf, typeNameOf } from '../../../shared/audit-events.ts';
import { describeAuditEntry } from './audit-words.ts';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'source',
  'time',
  'storeTime',
  'type',
  'actor',
  'actorName',
  'storeId',
  'sku',
  'deviceId',
  'summary',
  'data',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Who acted, by id, in one cell: `staff:<deviceId>`, `admin`, `customer` or `system`. */
export function actorLabel(actor: unknown): string {
  const a = (actor ?? {}) as { role?: string; deviceId?: string };
  return a.role === 'staff' ? `staff:${a.deviceId ?? ''}` : (a.role ?? '');
}

/** "2026-12-07 09:25:26 HST": the store's wall-clock time, sortable, with its zone (issue 15 §4). */
export function storeLocalTime(at: number, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
    timeZoneName: 'short',
  }).formatToParts(at);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${p('timeZoneName')}`;
}

/** One row: the instant (ISO, UTC) and the store's local time, the actor's id and name, the entry in words. */
export function auditCsvRow(e: AdminAuditEntry, timeZone?: string): string {
  return [
    e.id,
    e.source,
    new Date(e.at).toISOString(),
    storeLocalTime(e.at, timeZone),
    typeNameOf(e),
    actorLabel(e.actor),
    e.names?.actor ?? '',
    e.storeId ?? '',
    skusOf(e).join(' '),
    deviceOf(e) ?? '',
    describeAuditEntry(e, timeZone),
    JSON.stringify(e.data),
  ]
    .map(csvField)
    .join(',');
}

/** The header line; rows follow with auditCsvRow, each ending in CRLF. */
export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}
