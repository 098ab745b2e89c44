import type {
  AdminAuditEntry,
  AdminAuditLiveQuery,
  AdminAuditPage,
  AdminAuditQuery,
} from '../../../shared/api/admin-controls.ts';
import { deviceOf, skusOf, storesOf, typeNameOf } from '../../../shared/audit-events.ts';
import { listEvents } from '../../appointments/events.ts';
import {
  type AuditEntry,
  compareStreamIds,
  parseAuditEntry,
  type RawStreamEntry,
} from '../../audit/streams.ts';
import type { Deps } from '../../deps.ts';
import { readArchivedBefore } from '../../ledger/archive-reader.ts';
import { listStores } from '../../stock/stores.ts';
import { nameEntries } from './audit-names.ts';

/** Entries read from one stream per round trip. */
const READ_BATCH = 200;
/** Entries one page may read while filters skip them; the cursor says where the next page goes on. */
export const SCAN_BUDGET = 5000;

/** `st:<storeId>` / `ev:<eventId>`: a stream's label in cursors and entries; its key is `{<label>}:audit`. */
const streamKey = (label: string) => `{${label}}:audit`;

/** Where a page stopped: the last entry read, in the merged order (newest id first, then label). */
interface Position {
  id: string;
  label: string;
}

export function parseCursor(cursor: string): Position {
  const cut = cursor.indexOf('_');
  return { id: cursor.slice(0, cut), label: cursor.slice(cut + 1) };
}

const formatCursor = (p: Position) => `${p.id}_${p.label}`;

/**
 * Reads one stream newest first, a batch at a time, from `end` down to `start`: from Redis,
 * then, past the oldest entry Redis keeps, from the ledger (older entries are only there).
 */
class StreamReader {
  private buffer: AuditEntry[] = [];
  private exhausted = false;
  /** Redis has nothing older in range: go on in the archive. */
  private inArchive = false;

  constructor(
    private readonly deps: Deps,
    readonly label: string,
    /** XREVRANGE's end argument: an id, `(id` (exclusive) or `+`. */
    private end: string,
    private readonly start: string,
  ) {}

  private async read(): Promise<AuditEntry[]> {
    const stream = streamKey(this.label);
    if (this.inArchive && this.deps.ledger)
      return readArchivedBefore(this.deps.ledger, stream, this.end, this.start, READ_BATCH);
    const raw = (await this.deps.redis.xrevrange(
      stream,
      this.end,
      this.start,
      'COUNT',
      READ_BATCH,
    )) as RawStreamEntry[];
    return raw.map((entry) => parseAuditEntry(stream, entry));
  }

  async head(): Promise<AuditEntry | undefined> {
    while (this.buffer.length === 0 && !this.exhausted) {
      const batch = await this.read();
      this.buffer = batch;
      const last = batch.at(-1);
      if (last) this.end = `(${last.id}`;
      if (batch.length < READ_BATCH) {
        if (this.inArchive || !this.deps.ledger) this.exhausted = true;
        else this.inArchive = true;
      }
    }
    return this.buffer[0];
  }

  take(): AuditEntry | undefined {
    return this.buffer.shift();
  }
}

/** The streams a query reads: a store's and/or the events', as `source`, `storeId` and `eventId` say. */
async function labelsFor(deps: Deps, q: AdminAuditLiveQuery): Promise<string[]> {
  const labels: string[] = [];
  if (q.source !== 'events' && q.eventId === undefined) {
    const stores = q.storeId ? [q.storeId] : (await listStores(deps)).map((s) => s.id);
    labels.push(...stores.map((id) => `st:${id}`));
  }
  if (q.source !== 'stores') {
    const events = q.eventId ? [q.eventId] : (await listEvents(deps)).map((e) => e.id);
    labels.push(...events.map((id) => `ev:${id}`));
  }
  return labels.sort();
}

function adminEntry(label: string, e: AuditEntry): Unnamed {
  return { ...e, source: label };
}

/** An entry before its names are read (audit-names.ts). */
type Unnamed = AuditEntry & { source: string };

/** The id of an entry across all streams (the SSE event id): `<stream id>_<label>`, as cursors read. */
export const entryKey = (e: AdminAuditEntry) => `${e.id}_${e.source}`;

/**
 * Follows the streams a query reads on this instance's hub and hands over each new entry
 * that passes the filters. Resolves once every stream is followed; `stop` ends it.
 */
export async function followAudit(
  deps: Deps,
  q: AdminAuditLiveQuery,
  onEntry: (entry: AdminAuditEntry) => void,
): Promise<{ stop(): void }> {
  let naming = Promise.resolve();
  const onNamingError = (error: unknown) => console.warn('holdfast: naming audit entries:', error);
  const subscriptions = (await labelsFor(deps, q)).map((label) =>
    deps.hub.subscribe(streamKey(label), {
      onEntries(entries) {
        const passing = entries.map((e) => adminEntry(label, e)).filter((entry) => matches(entry, q));
        if (passing.length === 0) return;
        // Named in order: a later batch waits for the one before it.
        naming = naming.then(async () => {
          for (const entry of await nameEntries(deps, passing)) onEntry(entry);
        }, onNamingError);
      },
    }),
  );
  await Promise.all(subscriptions.map((s) => s.ready));
  return {
    stop() {
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}

function matches(entry: Unnamed, q: AdminAuditLiveQuery): boolean {
  if (q.storeId && entry.source.startsWith('ev:') && !storesOf(entry).includes(q.storeId)) return false;
  if (q.sku && !skusOf(entry).includes(q.sku)) return false;
  if (q.deviceId && deviceOf(entry) !== q.deviceId) return false;
  if (q.actor && (entry.actor as { role?: unknown } | null)?.role !== q.actor) return false;
  const type = typeNameOf(entry);
  if (q.type && type !== q.type && !type.startsWith(`${q.type}.`)) return false;
  return true;
}

/**
 * One page of the merged audit log, newest first: the streams are read in step (a k-way
 * merge on stream ids), filtered, and the page ends after `limit` matches or SCAN_BUDGET
 * entries read, whichever comes first. Paging with the cursor walks every stream to its start.
 */
export async function readAuditPage(deps: Deps, q: AdminAuditQuery): Promise<AdminAuditPage> {
  const after = q.cursor ? parseCursor(q.cursor) : undefined;
  const start = q.from === undefined ? '-' : String(q.from);
  const readers = (await labelsFor(deps, q)).map((label) => {
    let end = q.to === undefined ? '+' : String(q.to);
    // Equal ids in two streams are ordered by label: a stream after the cursor's own label
    // still owes its entry with the cursor's id.
    if (after) end = label > after.label ? after.id : `(${after.id}`;
    return new StreamReader(deps, label, end, start);
  });
  const entries: Unnamed[] = [];
  let scanned = 0;
  let last: Position | undefined;
  while (entries.length < q.limit && scanned < SCAN_BUDGET) {
    let next: { reader: StreamReader; head: AuditEntry } | undefined;
    for (const reader of readers) {
      const head = await reader.head();
      if (!head) continue;
      // Newest id first; equal ids by label, ascending.
      if (!next || compareStreamIds(head.id, next.head.id) > 0) next = { reader, head };
    }
    if (!next) return { entries: await nameEntries(deps, entries), nextCursor: null, scanned };
    next.reader.take();
    scanned += 1;
    last = { id: next.head.id, label: next.reader.label };
    const entry = adminEntry(last.label, next.head);
    if (matches(entry, q)) entries.push(entry);
  }
  // Nothing left to read is said on the next page (an empty one): checking now costs a read per stream.
  return { entries: await nameEntries(deps, entries), nextCursor: last ? formatCursor(last) : null, scanned };
}
