/**
 * `npm start`: the one place with side effects. Connects to REDIS_URL, or starts a local
 * redis-server with its data in ./.data/redis; refuses a Redis that could lose holds; makes
 * the first-run admin token; loads the demo data into an empty Redis; serves HTTP.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZodError } from 'zod';
import { newSecret } from '../shared/ids.ts';
import { ADMIN_TOKEN_HASH_KEY } from './auth/middleware.ts';
import { type Config, loadConfig } from './config.ts';
import { sha256 } from './crypto.ts';
import { hasAnyStore, loadDemoData } from './demo/seed.ts';
import { createDeps, type Deps } from './deps.ts';
import { startHoldfast } from './holdfast.ts';
import { createLedgerDb, type LedgerDb } from './ledger/db.ts';
import { MigrationError, migrateLedger } from './ledger/migrate.ts';
import { OwnPostgresError, startOwnPostgres } from './ledger/own-postgres.ts';
import { checkRedisDurability, failFast, reportRedisErrors } from './redis/check.ts';
import { createRedisClient, describeTarget, type RedisClient } from './redis/client.ts';
import { hasRedisServer, type LocalRedis, REDIS_MISSING_HELP, startLocalRedis } from './redis/local-redis.ts';
import { describeProcess } from './runtime/processes.ts';
import { buildOwnWebApp, checkPortFree } from './web/build.ts';

const DATA_DIR = resolve('.data');
const ADMIN_TOKEN_FILE = resolve(DATA_DIR, 'admin-token');
const LOCAL_REDIS_DIR = resolve(DATA_DIR, 'redis');
/** Which process runs the local redis-server, and for which Holdfast: `{ redisPid, holdfastPid }`. */
const LOCAL_REDIS_OWNER_FILE = resolve(DATA_DIR, 'redis-owner.json');
/** How long open requests may finish on shutdown before their connections are closed. */
const SHUTDOWN_GRACE_MS = 5_000;
const ORPHAN_STOP_TIMEOUT_MS = 10_000;
/** How often migrations are tried again while the ledger's Postgres does not answer at start. */
const LEDGER_RETRY_MS = 5_000;

const cleanups: (() => Promise<void> | void)[] = [];
let stopping: Promise<never> | undefined;

/** Runs the cleanups once, newest first, whoever asks (a signal, a failure, a crash). */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('holdfast: while shutting down:', error);
      }
    }
    process.exit(code);
  })();
  return stopping;
}

function fail(message: string): Promise<never> {
  console.error(`holdfast: ${message}`);
  return shutdown(1);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ZodError) {
      const lines = error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
      console.error(`holdfast: a setting is not valid:\n${lines}`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Two redis-servers appending to one AOF would corrupt it, and a Holdfast killed with SIGKILL
 * leaves its redis-server running. So: refuse while another live Holdfast owns ./.data/redis,
 * and stop a redis-server whose Holdfast is gone before starting a new one.
 */
async function claimLocalRedisDir(): Promise<void> {
  let owner: { redisPid: number; holdfastPid: number };
  try {
    owner = JSON.parse(readFileSync(LOCAL_REDIS_OWNER_FILE, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const redis = describeProcess(owner.redisPid);
  if (!redis?.name.endsWith('redis-server')) return;
  if (redis.parentPid === owner.holdfastPid) {
    await fail(
      `another Holdfast (pid ${owner.holdfastPid}) is running on .data/redis; stop it first, or set REDIS_URL.`,
    );
  }
  console.log(
    `Stopping redis-server ${owner.redisPid}, left running by a Holdfast that did not exit cleanly.`,
  );
  process.kill(owner.redisPid, 'SIGTERM');
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while (describeProcess(owner.redisPid)) {
    if (Date.now() > deadline) await fail(`redis-server ${owner.redisPid} did not stop; stop it by hand.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startOwnRedis(): Promise<string> {
  if (!hasRedisServer()) return fail(REDIS_MISSING_HELP);
  await claimLocalRedisDir();
  const local: LocalRedis = await startLocalRedis({ dir: LOCAL_REDIS_DIR, appendfsync: 'always' });
  writeFileSync(
    LOCAL_REDIS_OWNER_FILE,
    JSON.stringify({ redisPid: local.process.pid, holdfastPid: process.pid }),
  );
  cleanups.push(async () => {
    await local.stop();
    rmSync(LOCAL_REDIS_OWNER_FILE, { force: true });
  });
  console.log(
    `Started redis-server on 127.0.0.1:${local.port} with its data in .data/redis (AOF, appendfsync always).`,
  );
  return local.url;
}

async function connectRedis(config: Config): Promise<RedisClient> {
  const target =
    config.redisClusterNodes !== undefined
      ? { clusterNodes: config.redisClusterNodes }
      : { url: config.redisUrl ?? (await startOwnRedis()) };
  const redis = createRedisClient(target);
  reportRedisErrors(redis, console);
  try {
    await redis.connect();
  } catch (error) {
    return fail(`cannot reach ${describeTarget(target)}: ${(error as Error).message}`);
  }
  // From now on a command fails at once while Redis is away (the request answers 503).
  failFast(redis);
  cleanups.push(async () => {
    await redis.quit();
  });
  return redis;
}

async function startOwnLedgerPostgres(): Promise<string> {
  try {
    const local = await startOwnPostgres({ dataDir: DATA_DIR });
    cleanups.push(() => local.stop());
    console.log(`Started Postgres on 127.0.0.1:${local.port} with its data in .data/postgres (fsync on).`);
    return local.url;
  } catch (error) {
    return fail(
      error instanceof OwnPostgresError
        ? error.message
        : `cannot start Postgres: ${(error as Error).message}`,
    );
  }
}

/**
 * The ledger: DATABASE_URL, or a Postgres of our own. A migration that fails stops the start;
 * a Postgres that does not answer does not (sales go on, Redis keeps every entry): the
 * migrations are tried again until they apply, and the archiver catches up.
 */
async function openLedger(config: Config): Promise<LedgerDb> {
  const url = config.databaseUrl ?? (await startOwnLedgerPostgres());
  const ledger = createLedgerDb(url, (error) =>
    console.error(`holdfast: ledger: ${(error as Error).message}`),
  );
  cleanups.push(() => ledger.close());
  const migrate = async (): Promise<boolean> => {
    try {
      const applied = await migrateLedger(ledger.pool);
      if (applied.length > 0) console.log(`Ledger: applied migrations ${applied.join(', ')}.`);
      return true;
    } catch (error) {
      if (error instanceof MigrationError)
        await fail(`${error.message}
Nothing of it was applied; fix it and start again.`);
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
  cleanups.push(() => clearInterval(retry));
  return ledger;
}

/** First run without ADMIN_TOKEN: make one, keep only its hash in Redis, show it once. */
async function ensureAdminToken(deps: Deps): Promise<void> {
  if (deps.config.adminToken !== undefined) return;
  if (await deps.redis.exists(ADMIN_TOKEN_HASH_KEY)) {
    console.log(`Admin token: the one made on first run (see ${ADMIN_TOKEN_FILE}), or set ADMIN_TOKEN.`);
    return;
  }
  const token = `adm_${newSecret(24)}`;
  await deps.redis.set(ADMIN_TOKEN_HASH_KEY, sha256(token));
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(ADMIN_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  chmodSync(ADMIN_TOKEN_FILE, 0o600);
  console.log(`Admin token (shown once, also saved to ${ADMIN_TOKEN_FILE}): ${token}`);
}

async function main(): Promise<void> {
  const config = readConfig();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(0));
  process.on('uncaughtException', (error) => void fail(`crashed: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => void fail(`crashed: ${String(reason)}`));

  const redis = await connectRedis(config);
  const { problems, warnings } = await checkRedisDurability(redis);
  for (const warning of warnings) console.warn(`holdfast: warning: ${warning}`);
  if (problems.length > 0)
    return void (await fail(`refusing to start on this Redis:\n  ${problems.join('\n  ')}`));

  const ledger = await openLedger(config);
  const deps = createDeps(redis, config, { ledger });
  await ensureAdminToken(deps);
  if (!(await hasAnyStore(deps))) {
    const loaded = await loadDemoData(deps);
    console.log(
      `Empty Redis: loaded demo data (${loaded.stores} stores, ${loaded.products} products, ${loaded.slots} slots).`,
    );
  }

  // `npm start` passes --build: check first, then build into this process's own directory.
  let webRoot: string | undefined;
  if (process.argv.includes('--build')) {
    await checkPortFree(config.port).catch((error: Error) =>
      fail(`cannot listen on port ${config.port}: ${error.message}`),
    );
    const built = buildOwnWebApp((pid) => describeProcess(pid) !== undefined);
    cleanups.push(() => rmSync(built, { recursive: true, force: true }));
    webRoot = built;
  }
  const holdfast = await startHoldfast(deps, {
    port: config.port,
    closeGraceMs: SHUTDOWN_GRACE_MS,
    ...(webRoot ? { webRoot } : {}),
  }).catch((error: Error) => fail(`cannot listen on port ${config.port}: ${error.message}`));
  cleanups.push(() => holdfast.close());

  const base = holdfast.url;
  console.log(
    [
      'Holdfast is running:',
      `  staff app    ${base}/staff/`,
      `  sync         ${base.replace('http', 'ws')}/sync/<storeId>`,
      `  API          ${base}/api/stores`,
      `  health       ${base}/api/health`,
      `  OpenAPI      ${base}/api/openapi.json`,
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
}

main().catch((error: unknown) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
