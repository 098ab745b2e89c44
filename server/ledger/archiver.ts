import { listEvents } from '../appointments/events.ts';
import { eventAuditStream, storeAuditStream } from '../audit/streams.ts';
import type { StreamConsumer } from '../consumers/consumer.ts';
import { type ConsumerLag, readConsumerLag } from '../consumers/lag.ts';
import { ARCHIVER_GROUP } from '../consumers/trim.ts';
import type { Deps } from '../deps.ts';
import { listStores } from '../stores/stores.ts';
import type { LedgerDb } from './db.ts';
import { type LedgerRow, toLedgerRow } from './ledger-row.ts';

/** The archiver's consumer group on every audit stream. */
export { ARCHIVER_GROUP };

/** Every audit stream: each store's and each event's. */
export async function auditStreams(deps: Deps): Promise<string[]> {
  const [stores, events] = await Promise.all([listStores(deps), listEvents(deps)]);
  return [...stores.map((s) => storeAuditStream(s.id)), ...events.map((e) => eventAuditStream(e.id))];
}

const COLUMNS: readonly [keyof LedgerRow, string][] = [
  ['stream', 'text'],
  ['entryId', 'text'],
  ['entryMs', 'bigint'],
  ['entrySeq', 'bigint'],
  ['type', 'text'],
  ['at', 'timestamptz'],
  ['storeId', 'text'],
  ['eventId', 'text'],
  ['sku', 'text'],
  ['holdId', 'text'],
  ['bookingId', 'text'],
  ['deviceId', 'text'],
  ['actorRole', 'text'],
  ['quantity', 'integer'],
  ['delta', 'integer'],
  ['onHandAfter', 'integer'],
  ['heldAfter', 'integer'],
  ['leasedAfter', 'integer'],
  ['reason', 'text'],
  ['entry', 'jsonb'],
];
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * One statement per batch, its size not in the text (one array per column, unnested), and a
 * row that is already there is left alone: reading is at least once, rows exactly once.
 */
const INSERT_SQL = `INSERT INTO ledger_entries (${COLUMNS.map(([name]) => snake(name)).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  ON CONFLICT (stream, entry_id) DO NOTHING`;

/** Writes a batch of rows in one transaction (one statement); returns the rows new to the ledger. */
export async function writeLedgerRows(db: LedgerDb, rows: LedgerRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = COLUMNS.map(([name]) => rows.map((row) => row[name]));
  const result = await db.pool.query(INSERT_SQL, columns);
  return result.rowCount ?? 0;
}

/** The archiver: every entry of every audit stream, for ever, in the ledger (issue 17 §2). */
export function ledgerArchiver(db: LedgerDb): StreamConsumer {
  return {
    name: ARCHIVER_GROUP,
    streams: auditStreams,
    async handle(_stream, entries) {
      await writeLedgerRows(db, entries.map(toLedgerRow));
    },
  };
}

/** How far the ledger is behind Redis (entries not archived yet, and the oldest one's age). */
export async function readArchiveLag(deps: Deps): Promise<ConsumerLag> {
  return readConsumerLag(deps, ARCHIVER_GROUP, await auditStreams(deps));
}
