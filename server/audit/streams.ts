import { type AuditEvent, parseAuditEvent, type RawStreamEntry } from '../../shared/audit-events.ts';
import type { RedisClient } from '../redis/client.ts';

/**
 * The audit streams: one per store (`{st:<id>}:audit`: stock, holds, leases) and one per event
 * (`{ev:<id>}:audit`: bookings, each entry carrying its storeId). Each is the audit log, the
 * feed of every live view and the input of anything that must react (DESIGN "Server"). The
 * Lua prelude appends to them; this module alone names and parses them.
 */
export function storeAuditStream(storeId: string): string {
  return `{st:${storeId}}:audit`;
}

export function eventAuditStream(eventId: string): string {
  return `{ev:${eventId}}:audit`;
}

/** One parsed stream entry: a typed event (shared/audit-events.ts); its `id` is the SSE event id and the resume point. */
export type AuditEntry = AuditEvent;
export type { RawStreamEntry };

/** Parses one entry of `stream` with the shared schemas (never throws: see parseAuditEvent). */
export function parseAuditEntry(stream: string, raw: RawStreamEntry): AuditEntry {
  return parseAuditEvent(stream, raw);
}

/** Orders two stream ids (`<ms>-<seq>`): negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** The id of a stream's newest entry, or `0-0` when it is empty or missing. */
export async function lastStreamId(redis: RedisClient, stream: string): Promise<string> {
  const newest = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
  return newest[0]?.[0] ?? '0-0';
}

/** Entries after `afterId` (exclusive), oldest first, at most `count`. */
export async function readStreamAfter(
  redis: RedisClient,
  stream: string,
  afterId: string,
  count: number,
): Promise<AuditEntry[]> {
  const raw = (await redis.xrange(stream, `(${afterId}`, '+', 'COUNT', count)) as RawStreamEntry[];
  return raw.map((entry) => parseAuditEntry(stream, entry));
}

/** The id of a stream's oldest entry still kept (older ones were trimmed), or undefined when empty. */
export async function firstStreamId(redis: RedisClient, stream: string): Promise<string | undefined> {
  const oldest = (await redis.xrange(stream, '-', '+', 'COUNT', 1)) as RawStreamEntry[];
  return oldest[0]?.[0];
}
