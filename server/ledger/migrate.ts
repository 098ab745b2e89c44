import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** Any constant both racing instances agree on: `pg_advisory_lock` serialises them. */
const MIGRATION_LOCK_ID = 7_311_017;

export interface Migration {
  /** `001`, from the file name `001_ledger.sql`. */
  version: string;
  name: string;
  sql: string;
}

/** The repository's migrations (`server/ledger/migrations/NNN_name.sql`), in order. */
export function readMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: file.slice(0, 3),
      name: file.slice(4, -4),
      sql: readFileSync(new URL(file, dir), 'utf8'),
    }));
}

/** A migration failed: nothing of it was applied, and the start must stop. */
export class MigrationError extends Error {
  constructor(
    readonly migration: Migration,
    cause: unknown,
  ) {
    super(
      `ledger migration ${migration.version}_${migration.name}.sql failed: ${(cause as Error).message ?? String(cause)}`,
    );
  }
}

/**
 * Applies the migrations not applied yet, each in its own transaction, under a session
 * advisory lock, so two instances starting together apply each one once. Returns the
 * versions applied now.
 */
export async function migrateLedger(pool: pg.Pool, migrations = readMigrations()): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ledger_migrations (
         version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await client.query<{ version: string }>('SELECT version FROM ledger_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.sql);
        await client.query('INSERT INTO ledger_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(migration, error);
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
