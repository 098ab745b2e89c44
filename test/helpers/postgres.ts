import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedgerDb, type LedgerDb } from '../../server/ledger/db.ts';
import { migrateLedger } from '../../server/ledger/migrate.ts';
import { type LocalPostgres, startLocalPostgres } from '../../server/runtime/local-postgres.ts';

export interface TestPostgres {
  url: string;
  server: LocalPostgres;
  /** A new pool over the test's Postgres (migrated); closed by stop(). */
  db(): LedgerDb;
  /** Empties the ledger. */
  truncate(): Promise<void>;
  /** Starts Postgres again on the same port and data (after a stop or a kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Postgres of the test file's own, on a free port, in a temporary directory, with the
 * ledger's migrations applied. One per test file: initdb takes a few seconds here.
 */
export async function startTestPostgres(options: { fsync?: boolean } = {}): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-pg-'));
  // Postgres runs as the `postgres` user when the tests run as root: it must reach its directory.
  chmodSync(dir, 0o755);
  const dataDir = join(dir, 'data');
  const settings = { dir: dataDir, password: 'test-password', fsync: options.fsync ?? false };
  let server = await startLocalPostgres(settings);
  const url = server.url;
  const pools: LedgerDb[] = [];
  const db = () => {
    const pool = createLedgerDb(url, () => undefined);
    pools.push(pool);
    return pool;
  };
  const admin = db();
  await migrateLedger(admin.pool);
  const handle: TestPostgres = {
    url,
    server,
    db,
    async truncate() {
      await admin.pool.query('TRUNCATE ledger_entries');
    },
    async restart() {
      // After a SIGKILL the old server's backends take a moment to notice and exit; until they
      // do, a new postmaster refuses the data directory.
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          server = await startLocalPostgres({ ...settings, port: server.port });
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      handle.server = server;
    },
    async stop() {
      await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
