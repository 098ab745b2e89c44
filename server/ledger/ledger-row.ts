import { z } from 'zod';
import {
  bookingIdOf,
  deviceOf,
  holdIdOf,
  skusOf,
  stockAfterSchema,
  typeNameOf,
} from '../../shared/audit-events.ts';
import type { AuditEntry } from '../audit/streams.ts';

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

/** A field that is there and of the right kind, or null. */
function pick<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const int = z.number().int();

/**
 * The row of an entry parsed with shared/audit-events.ts: the columns reports and
 * reconciliation filter on, and the whole typed entry as jsonb (an entry of a type this code
 * does not know is kept too, with its raw type and data).
 */
export function toLedgerRow(entry: AuditEntry): LedgerRow {
  const [ms = '0', seq = '0'] = entry.id.split('-');
  const data = entry.data as Record<string, unknown>;
  const after = pick(stockAfterSchema, data.stockAfter);
  const skus = skusOf(entry);
  const role = pick(z.object({ role: z.string() }), entry.actor)?.role ?? null;
  return {
    stream: entry.stream,
    entryId: entry.id,
    entryMs: Number(ms),
    entrySeq: Number(seq),
    type: typeNameOf(entry),
    at: new Date(Number.isFinite(entry.at) && entry.at > 0 ? entry.at : Number(ms)),
    storeId: entry.storeId ?? null,
    eventId: entry.eventId ?? null,
    // An import names many products: they are in the entry, the column is for one.
    sku: skus.length === 1 ? (skus[0] ?? null) : null,
    holdId: holdIdOf(entry) ?? null,
    bookingId: bookingIdOf(entry) ?? null,
    deviceId: deviceOf(entry) ?? null,
    actorRole: role,
    quantity: pick(int, data.quantity),
    delta: pick(int, data.delta),
    onHandAfter: after?.onHand ?? null,
    heldAfter: after?.held ?? null,
    leasedAfter: after?.leased ?? null,
    reason: entry.reason ?? null,
    entry: JSON.stringify(entry),
  };
}
