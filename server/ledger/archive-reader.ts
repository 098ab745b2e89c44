import { type AuditEvent, auditEventSchema } from '../../shared/audit-events.ts';
import { AppError } from '../app-error.ts';
import type { LedgerDb } from './db.ts';

/** A stream position as XREVRANGE takes it: `+`, `-`, `<ms>`, `<ms>-<seq>`, or `(<ms>-<seq>` (exclusive). */
interface Bound {
  ms: number;
  seq: number;
  inclusive: boolean;
}

const MAX = Number.MAX_SAFE_INTEGER;

function upperBound(end: string): Bound {
  if (end === '+') return { ms: MAX, seq: MAX, inclusive: true };
  const exclusive = end.startsWith('(');
  const [ms = '0', seq] = (exclusive ? end.slice(1) : end).split('-');
  return { ms: Number(ms), seq: seq === undefined ? MAX : Number(seq), inclusive: !exclusive };
}

function lowerBound(start: string): Bound {
  if (start === '-') return { ms: 0, seq: 0, inclusive: true };
  const [ms = '0', seq = '0'] = start.split('-');
  return { ms: Number(ms), seq: Number(seq), inclusive: true };
}

/**
 * One stream's archived entries, newest first, between `start` and `end` (XREVRANGE's
 * arguments), at most `count`: where the admin's audit log goes on once Redis no longer keeps
 * what it reads. A ledger that does not answer is LEDGER_UNAVAILABLE, never an empty history.
 */
export async function readArchivedBefore(
  db: LedgerDb,
  stream: string,
  end: string,
  start: string,
  count: number,
): Promise<AuditEvent[]> {
  const upper = upperBound(end);
  const lower = lowerBound(start);
  const result = await db.pool
    .query<{ entry: unknown }>(
      `SELECT entry FROM ledger_entries
        WHERE stream = $1
          AND (entry_ms, entry_seq) ${upper.inclusive ? '<=' : '<'} ($2, $3)
          AND (entry_ms, entry_seq) >= ($4, $5)
        ORDER BY entry_ms DESC, entry_seq DESC LIMIT $6`,
      [stream, upper.ms, upper.seq, lower.ms, lower.seq, count],
    )
    .catch(() => {
      throw new AppError('LEDGER_UNAVAILABLE');
    });
  return result.rows.flatMap((row) => {
    const parsed = auditEventSchema.safeParse(row.entry);
    return parsed.success ? [parsed.data] : [];
  });
}
