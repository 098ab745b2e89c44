import type { AdminAuditEntry } from '../../../shared/api/admin-controls.ts';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'source',
  'time',
  'type',
  'actor',
  'storeId',
  'sku',
  'deviceId',
  'data',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Who acted, in one cell: `staff:<deviceId>`, `admin`, `customer` or `system`. */
export function actorLabel(actor: unknown): string {
  const a = (actor ?? {}) as { role?: string; deviceId?: string };
  return a.role === 'staff' ? `staff:${a.deviceId ?? ''}` : (a.role ?? '');
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function auditCsvRow(e: AdminAuditEntry): string {
  const actor = (e.actor ?? {}) as { deviceId?: string };
  return [
    e.id,
    e.source,
    new Date(e.at).toISOString(),
    e.type,
    actorLabel(e.actor),
    text(e.data.storeId ?? (e.source.startsWith('st:') ? e.source.slice(3) : '')),
    text(e.data.sku),
    text(e.data.deviceId ?? actor.deviceId),
    JSON.stringify(e.data),
  ]
    .map(csvField)
    .join(',');
}

/** The header line; rows follow with auditCsvRow, each ending in CRLF. */
export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}
