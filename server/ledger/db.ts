import pg from 'pg';

/** The ledger's PostgreSQL: a pool, and whether it answers. */
export interface LedgerDb {
  pool: pg.Pool;
  /** True when a trivial query answers within a second. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 1_000;

/**
 * A pool over DATABASE_URL. A connection that breaks while idle (Postgres restarted or
 * killed) is reported and dropped, never thrown: an outage of the ledger must not stop sales.
 */
export function createLedgerDb(url: string, onError: (error: unknown) => void): LedgerDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', onError);
  return {
    pool,
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      const answer = pool.query('SELECT 1').then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.end(),
  };
}
