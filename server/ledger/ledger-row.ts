import { z } from 'zod';
import type { AuditEntry } from '../audit/streams.ts';

/**
 * What the ledger reads of an entry, until shared/audit-events.ts types every event (issue 17
 * §1): each column's field parsed on its own (`pick`), never trusted by name, and the whole
 * entry kept as jsonb besides, so nothing is lost when a field is missing or of another kind.
 */
const actorSchema = z.object({ role: z.string(), deviceId: z.string().optional() }).partial();

/** One row of `ledger_entries`, in column order (see migrations/001_ledger.sql). */
export interface LedgerRow {
  stream: string;
  entryId: string;
  entryMs: number;
  entrySeq: number;
  type: string;
  at: Date;
  storeId: string | null;
  eventId: string | null;
  sku: string | null;
  holdId: string | null;
  bookingId: string | null;
  deviceId: string | null;
  actorRole: string | null;
  quantity: number | null;
  delta: number | null;
  onHandAfter: number | null;
  heldAfter: number | null;
  leasedAfter: number | null;
  reason: string | null;
  entry: string;
}

/** `{st:aiea}:audit` -> { store: 'aiea' }; `{ev:launch}:audit` -> { event: 'launch' }. */
export function streamOwner(stream: string): { storeId: string | null; eventId: string | null } {
  const match = /^\{(st|ev):([^}]+)\}:audit$/.exec(stream);
  if (!match) return { storeId: null, eventId: null };
  return match[1] === 'st'
    ? { storeId: match[2] ?? null, eventId: null }
    : { storeId: null, eventId: match[2] ?? null };
}

/** A field that is there and of the right kind, or null: a hand-written entry is still archived whole. */
function pick<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function toLedgerRow(entry: AuditEntry): LedgerRow {
  const [ms = '0', seq = '0'] = entry.id.split('-');
  const owner = streamOwner(entry.stream);
  const raw = entry.data ?? {};
  const actor = pick(actorSchema, entry.actor) ?? {};
  const int = (v: unknown) => pick(z.number().int(), v);
  const text = (v: unknown) => pick(z.string(), v);
  return {
    stream: entry.stream,
    entryId: entry.id,
    entryMs: Number(ms),
    entrySeq: Number(seq),
    type: entry.type,
    at: new Date(Number.isFinite(entry.at) && entry.at > 0 ? entry.at : Number(ms)),
    storeId: owner.storeId ?? text(raw.storeId),
    eventId: owner.eventId,
    sku: text(raw.sku),
    holdId: text(raw.holdId),
    bookingId: text(raw.bookingId),
    deviceId: text(raw.deviceId) ?? actor.deviceId ?? null,
    actorRole: actor.role ?? null,
    quantity: int(raw.quantity),
    delta: int(raw.delta),
    onHandAfter: int(raw.onHandAfter),
    heldAfter: int(raw.heldAfter),
    leasedAfter: int(raw.leasedAfter),
    reason: text(raw.reason) || null,
    entry: JSON.stringify({ type: entry.type, actor: entry.actor, at: entry.at, data: entry.data }),
  };
}
