/**
 * `npm start`: the one place with side effects. The primary connects to REDIS_URL, or
 * starts a local redis-server with its data in ./.data/redis (installing it where it is
 * missing and the machine allows); refuses a Redis that could lose holds; makes the first-run
 * admin token; loads the demo data into an empty Redis; builds the web app; then serves
 * HTTP itself (WORKERS=1) or through WORKERS workers on the one port (runtime/cluster.ts).
 */
import cluster from 'node:cluster';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZodError } from 'zod';
import { newSecret } from '../shared/ids.ts';
import { ADMIN_TOKEN_HASH_KEY } from './auth/middleware.ts';
import { type Config, loadConfig } from './config.ts';
import { sha256 } from './crypto.ts';
import { hasAnyStore, loadDemoData } from './demo/seed.ts';
import { createDeps, type Deps } from './deps.ts';
import { startHoldfast } from './holdfast.ts';
import { createLogger, type Logger } from './observability/log.ts';
import { checkRedisDurability } from './redis/check.ts';
import type { RedisClient } from './redis/client.ts';
import { startWorkers } from './runtime/cluster.ts';
import { connectRedis } from './runtime/connect-redis.ts';
import { createLifecycle, type Lifecycle } from './runtime/lifecycle.ts';
import { startOwnRedis } from './runtime/own-redis.ts';
import { describeProcess } from './runtime/processes.ts';
import { runWorker, SHUTDOWN_GRACE_MS, WEB_ROOT_ENV } from './runtime/worker.ts';
import { buildOwnWebApp, checkPortFree } from './web/build.ts';

const DATA_DIR = resolve('.data');
const ADMIN_TOKEN_FILE = resolve(DATA_DIR, 'admin-token');

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

/** Everything before serving, done once by the primary: Redis, its checks, the token, the demo. */
async function prepare(
  config: Config,
  log: Logger,
  life: Lifecycle,
): Promise<{ redis: RedisClient; url?: string }> {
  const url =
    config.redisClusterNodes === undefined
      ? (config.redisUrl ?? (await startOwnRedis(DATA_DIR, life)))
      : undefined;
  const redis = await connectRedis(config, log, life, url);
  const { problems, warnings } = await checkRedisDurability(redis);
  for (const warning of warnings) console.warn(`holdfast: warning: ${warning}`);
  if (problems.length > 0) await life.fail(`refusing to start on this Redis:\n  ${problems.join('\n  ')}`);
  const deps = createDeps(redis, config, { log });
  await ensureAdminToken(deps);
  if (!(await hasAnyStore(deps))) {
    const loaded = await loadDemoData(deps);
    console.log(
      `Empty Redis: loaded demo data (${loaded.stores} stores, ${loaded.products} products, ${loaded.slots} slots).`,
    );
  }
  await deps.hub.close();
  return { redis, ...(url === undefined ? {} : { url }) };
}

/** `npm start` passes --build: check the port first, then build into this process's own directory. */
async function buildWebApp(config: Config, life: Lifecycle): Promise<string | undefined> {
  if (!process.argv.includes('--build')) return undefined;
  await checkPortFree(config.port).catch((error: Error) =>
    life.fail(`cannot listen on port ${config.port}: ${error.message}`),
  );
  const built = buildOwnWebApp((pid) => describeProcess(pid) !== undefined);
  life.onStop(() => rmSync(built, { recursive: true, force: true }));
  return built;
}

/** Every door, so a person finds each face from the terminal. */
function printBanner(base: string, workers: number): void {
  console.log(
    [
      `Holdfast is running (${workers === 1 ? 'one process' : `${workers} workers`}):`,
      `  customer site  ${base}/`,
      `  admin console  ${base}/admin/`,
      `  staff app      ${base}/staff/`,
      `  API            ${base}/api/stores`,
      `  API doc        ${base}/api/openapi.json`,
      `  metrics        ${base}/metrics`,
      `  health         ${base}/api/health and ${base}/api/ready`,
      `  sync           ${base.replace('http', 'ws')}/sync/<storeId>`,
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
}

async function runPrimary(config: Config, log: Logger, life: Lifecycle): Promise<void> {
  life.handleSignals();
  const prepared = await prepare(config, log, life);
  const webRoot = await buildWebApp(config, life);
  if (config.workers === 1) {
    const deps = createDeps(prepared.redis, config, { log });
    const holdfast = await startHoldfast(deps, {
      port: config.port,
      closeGraceMs: SHUTDOWN_GRACE_MS,
      ...(webRoot ? { webRoot } : {}),
    }).catch((error: Error) => life.fail(`cannot listen on port ${config.port}: ${error.message}`));
    life.onStop(() => holdfast.close());
    printBanner(holdfast.url, 1);
    return;
  }
  // The workers connect on their own; the primary only forks, gathers metrics and stops them.
  const workers = await startWorkers({
    count: config.workers,
    env: {
      ...(prepared.url === undefined ? {} : { REDIS_URL: prepared.url }),
      ...(webRoot === undefined ? {} : { [WEB_ROOT_ENV]: webRoot }),
    },
    log,
    onGiveUp: (reason) => void life.fail(reason),
  }).catch((error: Error) => life.fail(error.message));
  life.onStop(() => workers.stop());
  printBanner(workers.url, workers.count);
}

const config = readConfig();
const log = createLogger({ level: config.logLevel });
const life = createLifecycle();
const run = cluster.isWorker ? runWorker : runPrimary;
run(config, log, life).catch((error: unknown) =>
  life.fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
