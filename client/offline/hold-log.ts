import type { HoldStatus, StaffHold } from '../../shared/api/holds.ts';
import { type AuditEventType, auditEventSchema, holdIdOf } from '../../shared/audit-events.ts';

/** How a hold left the queue; `closed` when this tablet cannot tell (another tablet or the customer). */
export type ClosedAs = 'fulfilled' | 'cancelled' | 'expired' | 'closed';

/** A hold this tablet saw, kept on disk so "done today" survives reloads (issue 8.9). */
export interface HoldLogRecord {
  id: string;
  hold: StaffHold;
  closedAs?: ClosedAs;
  closedAt?: number;
}

/** Records kept this long after they close: "done today" needs at most one day. */
export const HOLD_LOG_KEEP_MS = 2 * 24 * 60 * 60 * 1000;

const FINAL: Partial<Record<HoldStatus, ClosedAs>> = {
  fulfilled: 'fulfilled',
  cancelled: 'cancelled',
  expired: 'expired',
};

/**
 * The log after the open holds changed: open holds are recorded; a hold that left the open
 * set closes as what is known (its own final status, its expiry passing while unconfirmed),
 * or as `closed`. Returns only the records that changed.
 */
export function updateHoldLog(
  log: readonly HoldLogRecord[],
  open: readonly StaffHold[],
  now: number,
): HoldLogRecord[] {
  const changed: HoldLogRecord[] = [];
  const openIds = new Set(open.map((h) => h.id));
  const byId = new Map(log.map((r) => [r.id, r]));
  for (const hold of open) {
    const before = byId.get(hold.id);
    // A hold this tablet saw closed stays closed while the server's projection catches up.
    if (!before || JSON.stringify(before.hold) !== JSON.stringify(hold))
      changed.push({ ...before, id: hold.id, hold });
  }
  for (const record of log) {
    if (openIds.has(record.id) || record.closedAs) continue;
    const known = FINAL[record.hold.status];
    const expired = record.hold.status === 'held' && now >= record.hold.expiresAt;
    const closedAs: ClosedAs = known ?? (expired ? 'expired' : 'closed');
    changed.push({ ...record, closedAs, closedAt: expired ? record.hold.expiresAt : now });
  }
  return changed;
}

/** The audit events that close a hold, as the staff audit endpoint returns them. */
const CLOSING_EVENTS: Partial<Record<AuditEventType, ClosedAs>> = {
  'hold.hand_over': 'fulfilled',
  'hold.cancel': 'cancelled',
  'hold.expired': 'expired',
};

/** Corrects `closed` records with what the store's audit log says happened (entries parsed with shared/audit-events.ts). */
export function closeFromAudit(log: readonly HoldLogRecord[], entries: readonly unknown[]): HoldLogRecord[] {
  const changed: HoldLogRecord[] = [];
  const byId = new Map(log.map((r) => [r.id, r]));
  for (const raw of entries) {
    const parsed = auditEventSchema.safeParse(raw);
    if (!parsed.success) continue;
    const entry = parsed.data;
    const closedAs = entry.type === 'unknown' ? undefined : CLOSING_EVENTS[entry.type];
    const holdId = holdIdOf(entry);
    const record = holdId ? byId.get(holdId) : undefined;
    if (!closedAs || !record || (record.closedAs && record.closedAs !== 'closed')) continue;
    changed.push({ ...record, closedAs, closedAt: entry.at });
  }
  return changed;
}
