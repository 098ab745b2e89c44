import type { Config } from '../config.ts';
import { createLedgerDb, type LedgerDb } from '../ledger/db.ts';
import { MigrationError, migrateLedger } from '../ledger/migrate.ts';
import { type Logger, logErrorsOf } from '../observability/log.ts';
import { OwnPostgresError, startOwnPostgres } from '../runtime/own-postgres.ts';
import type { Lifecycle } from './lifecycle.ts';

/** How often migrations are tried again while the ledger's Postgres does not answer at start. */
const LEDGER_RETRY_MS = 5_000;

/**
 * `npm start` without DATABASE_URL: a Postgres of its own (from npm) with its data in
 * `<dataDir>/postgres`, started once by the primary and stopped on the way out. Returns its URL.
 */
export async function startOwnLedgerPostgres(dataDir: string, life: Lifecycle): Promise<string> {
  try {
    const local = await startOwnPostgres({ dataDir });
    life.onStop(() => local.stop());
    console.log(`Started Postgres on 127.0.0.1:${local.port} with its data in .data/postgres (fsync on).`);
    return local.url;
  } catch (error) {
    return life.fail(
      error instanceof OwnPostgresError
        ? error.message
        : `cannot start Postgres: ${(error as Error).message}`,
    );
  }
}

/**
 * The ledger's pool over `url`. With `migrate` (the primary), a migration that fails stops the
 * start; a Postgres that does not answer does not (sales go on, Redis keeps every entry): the
 * migrations are tried again until they apply, and the archivers catch up.
 */
export async function openLedger(
  url: string,
  log: Logger,
  life: Lifecycle,
  options: { migrate: boolean },
): Promise<LedgerDb> {
  const ledger = createLedgerDb(url, logErrorsOf(log, 'ledger'));
  life.onStop(() => ledger.close());
  if (!options.migrate) return ledger;
  const migrate = async (): Promise<boolean> => {
    try {
      const applied = await migrateLedger(ledger.pool);
      if (applied.length > 0) console.log(`Ledger: applied migrations ${applied.join(', ')}.`);
      return true;
    } catch (error) {
      if (error instanceof MigrationError)
        await life.fail(`${error.message}\nNothing of it was applied; fix it and start again.`);
      return false;
    }
  };
  if (await migrate()) return ledger;
  console.warn(
    "holdfast: warning: the ledger's Postgres does not answer; archiving waits for it (Redis keeps every entry).",
  );
  const retry = setInterval(() => {
    void migrate().then((done) => done && clearInterval(retry));
  }, LEDGER_RETRY_MS);
  life.onStop(() => clearInterval(retry));
  return ledger;
}

/** The ledger's URL for this start: DATABASE_URL, or the primary's own Postgres. */
export async function ledgerUrl(config: Config, dataDir: string, life: Lifecycle): Promise<string> {
  return config.databaseUrl ?? (await startOwnLedgerPostgres(dataDir, life));
}
