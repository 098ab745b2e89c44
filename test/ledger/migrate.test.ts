import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerDb } from '../../server/ledger/db.ts';
import { MigrationError, migrateLedger, readMigrations } from '../../server/ledger/migrate.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('ledger migrations', () => {
  it('are applied once, even by instances starting together', async () => {
    const a = pg.db();
    const b = pg.db();
    // startTestPostgres applied them already: racing again applies nothing and fails nothing.
    const [first, second] = await Promise.all([migrateLedger(a.pool), migrateLedger(b.pool)]);
    expect([...first, ...second]).toEqual([]);
    const versions = await a.pool.query('SELECT version FROM ledger_migrations ORDER BY version');
    expect(versions.rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
  });

  it('keys the ledger by stream and entry id, so a second write of an entry adds no row', async () => {
    const { pool } = pg.db();
    const insert = `INSERT INTO ledger_entries (stream, entry_id, entry_ms, entry_seq, type, at, entry)
      VALUES ('{st:a}:audit', '1-0', 1, 0, 'stock.receive', now(), '{}') ON CONFLICT (stream, entry_id) DO NOTHING`;
    await pool.query(insert);
    await pool.query(insert);
    const count = await pool.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE stream = '{st:a}:audit'`,
    );
    expect(count.rows[0].n).toBe(1);
  });

  it('stops at a failing migration with its name, and applies none of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'holdfast-migrations-'));
    try {
      writeFileSync(join(dir, '001_good.sql'), 'CREATE TABLE probe_good (id int);');
      writeFileSync(join(dir, '002_bad.sql'), 'CREATE TABLE probe_bad (id int); SELEC nonsense;');
      // A database of its own, so the probe's tables stay out of the ledger's.
      await pg.db().pool.query('CREATE DATABASE probe');
      const probe = createLedgerDb(pg.url.replace(/\/postgres$/, '/probe'), () => undefined);
      const { pool } = probe;
      const migrations = readMigrations(pathToFileURL(`${dir}/`));
      const failure = await migrateLedger(pool, migrations).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as Error).message).toMatch(/002_bad\.sql failed: syntax error/);
      const tables = await pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('probe_good', 'probe_bad') ORDER BY 1`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['probe_good']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
