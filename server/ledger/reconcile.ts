import {
  type Reconciliation,
  reconciliationSchema,
  type StockNumbers,
} from '../../shared/api/reconciliation.ts';
import {
  type AuditEvent,
  auditEventSchema,
  parseAuditEvent,
  type RawStreamEntry,
} from '../../shared/audit-events.ts';
import { compareStreamIds, storeAuditStream } from '../audit/streams.ts';
import { groupsOf } from '../consumers/lag.ts';
import type { Deps } from '../deps.ts';
import { storeKeys } from '../stock/keys.ts';
import { parseStockRecord } from '../stock/stock-record.ts';
import { listStores } from '../stock/stores.ts';
import { ARCHIVER_GROUP } from './archiver.ts';
import type { LedgerDb } from './db.ts';
import { StoreReplay } from './rebuild.ts';

/** Ledger rows read per query while replaying a store. */
const PAGE = 5_000;
/** The latest run, for the admin's page: a plain key, read by any instance. */
export const RECONCILIATION_KEY = 'ledger:reconciliation:last';

interface Snapshot {
  stock: Map<string, StockNumbers>;
  lastId: string | undefined;
  entriesAdded: number;
}

/** Redis's numbers and the newest entry of the store's stream, read in one step (one hash tag, one MULTI). */
async function snapshot(deps: Deps, storeId: string): Promise<Snapshot> {
  const stream = storeAuditStream(storeId);
  const replies = await deps.redis
    .multi()
    .hgetall(storeKeys(storeId).stock)
    .xrevrange(stream, '+', '-', 'COUNT', 1)
    .exists(stream)
    .exec();
  const packed = (replies?.[0]?.[1] ?? {}) as Record<string, string>;
  const newest = (replies?.[1]?.[1] ?? []) as RawStreamEntry[];
  const stock = new Map<string, StockNumbers>();
  for (const [sku, value] of Object.entries(packed)) {
    const { onHand, held, leased } = parseStockRecord(value);
    stock.set(sku, { onHand, held, leased });
  }
  let entriesAdded = 0;
  if (Number(replies?.[2]?.[1]) === 1) {
    const info = (await deps.redis.xinfo('STREAM', stream)) as unknown[];
    entriesAdded = Number(info[info.indexOf('entries-added') + 1]);
  }
  return { stock, lastId: newest[0]?.[0], entriesAdded };
}

/**
 * The entries up to `lastId` that the archiver may not have written yet: from the oldest its
 * group has not acknowledged. They are still in Redis (trimming never passes that mark).
 */
async function unarchived(deps: Deps, stream: string, lastId: string): Promise<AuditEvent[]> {
  const group = groupsOf(await deps.redis.xinfo('GROUPS', stream)).find((g) => g.name === ARCHIVER_GROUP);
  let from = '-';
  if (group) {
    const pending = (await deps.redis.xpending(stream, ARCHIVER_GROUP)) as [number, string | null];
    from = pending[0] > 0 && pending[1] ? pending[1] : String(group['last-delivered-id'] ?? '-');
  }
  const raw = (await deps.redis.xrange(stream, from, lastId)) as RawStreamEntry[];
  return raw.map((entry) => parseAuditEvent(stream, entry));
}

/** Rebuilds one store's numbers from the ledger (and what is not archived yet) and compares them with Redis. */
export async function reconcileStore(
  deps: Deps,
  db: LedgerDb,
  storeId: string,
): Promise<{ store: Reconciliation['stores'][number]; drift: Reconciliation['drift'] }> {
  const stream = storeAuditStream(storeId);
  const snap = await snapshot(deps, storeId);
  const replay = new StoreReplay(storeId);
  if (snap.lastId !== undefined) {
    const lastId = snap.lastId;
    const waiting = await unarchived(deps, stream, lastId);
    const [lastMs, lastSeq] = lastId.split('-').map(Number);
    let after: [number, number] = [-1, -1];
    for (;;) {
      const page = await db.pool.query<{ entry_ms: string; entry_seq: string; entry: unknown }>(
        `SELECT entry_ms, entry_seq, entry FROM ledger_entries
          WHERE stream = $1 AND (entry_ms, entry_seq) > ($2, $3) AND (entry_ms, entry_seq) <= ($4, $5)
          ORDER BY entry_ms, entry_seq LIMIT ${PAGE}`,
        [stream, after[0], after[1], lastMs, lastSeq],
      );
      for (const row of page.rows) {
        const parsed = auditEventSchema.safeParse(row.entry);
        if (!parsed.success) continue;
        const event = parsed.data;
        // Entries not archived yet that come before this row, in stream order; one already archived is skipped.
        while (waiting[0] && compareStreamIds(waiting[0].id, event.id) <= 0) {
          const next = waiting.shift() as AuditEvent;
          if (next.id !== event.id) replay.apply(next);
        }
        replay.apply(event);
        after = [Number(row.entry_ms), Number(row.entry_seq)];
      }
      if (page.rows.length < PAGE) break;
    }
    for (const event of waiting) replay.apply(event);
  }
  return {
    store: {
      storeId,
      checkedThrough: snap.lastId ?? null,
      entries: replay.entries,
      products: snap.stock.size,
      historyComplete: replay.entries >= snap.entriesAdded,
    },
    drift: replay.driftAgainst(snap.stock),
  };
}

/** Every store, and keeps the result as the latest run for the admin's page. */
export async function reconcileAll(
  deps: Deps,
  db: LedgerDb,
  trigger: Reconciliation['trigger'],
): Promise<Reconciliation> {
  const result: Reconciliation = { ranAt: deps.clock.now(), trigger, stores: [], drift: [] };
  for (const store of await listStores(deps)) {
    const { store: checked, drift } = await reconcileStore(deps, db, store.id);
    result.stores.push(checked);
    result.drift.push(...drift);
  }
  await deps.redis.set(RECONCILIATION_KEY, JSON.stringify(result));
  return result;
}

/** The latest run in short, for the sync-status page: when, how many products, which drifted (`store/sku`). */
export async function readLastReconciliation(
  deps: Deps,
): Promise<{ ranAt: number; products: number; drifted: string[] } | null> {
  const stored = await deps.redis.get(RECONCILIATION_KEY);
  if (!stored) return null;
  const parsed = reconciliationSchema.safeParse(JSON.parse(stored));
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    ranAt: r.ranAt,
    products: r.stores.reduce((sum, s) => sum + s.products, 0),
    drifted: r.drift.map((d) => `${d.storeId}/${d.sku}`),
  };
}
