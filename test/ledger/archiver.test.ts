import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeAuditStream } from '../../server/audit/streams.ts';
import { ARCHIVER_GROUP, readArchiveLag } from '../../server/ledger/archiver.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
let ledger: LedgerDb;
const STREAM = storeAuditStream('aiea');

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  ledger = pg.db();
  server = await startTestServer(
    redis,
    { auditKeepInRedis: 5 },
    { ledger: pg.db(), archiver: { blockMs: 100, refreshStreamsMs: 100 } },
  );
});
afterAll(async () => {
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
});
afterEach(async () => {
  // Nothing in flight when the next test empties Redis and the ledger: a batch still being
  // written would land after the truncate, as rows of a Redis that no longer exists.
  await waitUntil(
    () => readArchiveLag(server.deps),
    (lag) => lag.entries === 0,
    10_000,
  );
});
beforeEach(async () => {
  await redis.flush();
  await pg.truncate();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 50 }]);
});

const ledgerIds = async () =>
  (
    await ledger.pool.query<{ entry_id: string }>(
      'SELECT entry_id FROM ledger_entries WHERE stream = $1 ORDER BY entry_ms, entry_seq',
      [STREAM],
    )
  ).rows.map((r) => r.entry_id);

async function makeHolds(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(i) },
      idempotencyKey: newKey('hold'),
    });
    expect(res.status).toBe(201);
  }
}

describe('the archiver', () => {
  it('writes every entry of a store stream to the ledger once, with its columns', async () => {
    await makeHolds(3);
    const rows = await waitUntil(
      () =>
        ledger.pool.query('SELECT * FROM ledger_entries WHERE type = $1 ORDER BY entry_ms, entry_seq', [
          'hold.created',
        ]),
      (r) => r.rows.length === 3,
    );
    const row = rows.rows[0];
    expect(row).toMatchObject({
      stream: STREAM,
      store_id: 'aiea',
      sku: 'KIT',
      quantity: 1,
      actor_role: 'customer',
    });
    expect(row.entry.data.holdId).toBe(row.hold_id);
    // The numbers after the change (issue 17 §1), so a row reads on its own.
    expect(row).toMatchObject({ on_hand_after: 50, held_after: 1, leased_after: 0 });
    expect(row.at).toBeInstanceOf(Date);
  });

  it('trims Redis to the kept window only below what is archived', async () => {
    await makeHolds(12);
    await waitUntil(
      () => readArchiveLag(server.deps),
      (lag) => lag.entries === 0,
    );
    const kept = await waitUntil(
      () => redis.client().xlen(STREAM),
      (n) => n <= 6,
    );
    expect(kept).toBeGreaterThanOrEqual(5);
    // Everything ever written is in the ledger, in order, once.
    const ids = await ledgerIds();
    expect(new Set(ids).size).toBe(ids.length);
    const info = (await redis.client().xinfo('STREAM', STREAM)) as unknown[];
    const added = Number(info[info.indexOf('entries-added') + 1]);
    expect(ids.length).toBe(added);
  });

  it('keeps every entry in Redis while Postgres refuses them, and says how far behind it is', async () => {
    const { pool } = ledger;
    // The ledger refuses writes (as a full disk or a lost permission would).
    await pool.query(
      `CREATE OR REPLACE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`,
    );
    await pool.query(
      'CREATE TRIGGER refuse BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse()',
    );
    try {
      await makeHolds(10);
      const lag = await waitUntil(
        () => readArchiveLag(server.deps),
        (l) => l.entries >= 10,
      );
      expect(lag.seconds).toBeGreaterThanOrEqual(0);
      expect(await redis.client().xlen(STREAM)).toBeGreaterThanOrEqual(11);
    } finally {
      await pool.query('DROP TRIGGER refuse ON ledger_entries');
    }
    await waitUntil(
      () => readArchiveLag(server.deps),
      (l) => l.entries === 0,
      10_000,
    );
    const groups = (await redis.client().xinfo('GROUPS', STREAM)) as unknown[][];
    expect(groups.map((g) => g[1])).toContain(ARCHIVER_GROUP);
    expect((await ledgerIds()).length).toBeGreaterThanOrEqual(11);
  });
});
