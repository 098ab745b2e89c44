/**
 * `npm start`: the one place with side effects. Connects to REDIS_URL, or starts a local
 * redis-server with its data in ./.data/redis; refuses a Redis that could lose holds; makes
 * the first-run admin token; loads the demo data into an empty Redis; serves HTTP.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { newSecret } from '../shared/ids.ts';
import { createApp } from './app.ts';
import { sha256 } from './auth/devices.ts';
import { ADMIN_TOKEN_HASH_KEY } from './auth/middleware.ts';
import { type Config, loadConfig } from './config.ts';
import { hasAnyStore, loadDemoData } from './demo/seed.ts';
import type { Deps } from './deps.ts';
import { checkRedisDurability } from './redis/check.ts';
import { hasRedisServer, type LocalRedis, REDIS_MISSING_HELP, startLocalRedis } from './redis/local-redis.ts';
import { startSweeper } from './stock/sweeper.ts';

const DATA_DIR = resolve('.data');
const ADMIN_TOKEN_FILE = resolve(DATA_DIR, 'admin-token');

const cleanups: (() => Promise<void> | void)[] = [];

async function shutdown(code: number): Promise<never> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error('while shutting down:', error);
    }
  }
  process.exit(code);
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

async function connectRedis(config: Config): Promise<Redis> {
  let url = config.redisUrl;
  if (url === undefined) {
    if (!hasRedisServer()) return fail(REDIS_MISSING_HELP);
    const local: LocalRedis = await startLocalRedis({
      dir: resolve(DATA_DIR, 'redis'),
      appendfsync: 'always',
    });
    cleanups.push(() => local.stop());
    console.log(
      `Started redis-server on 127.0.0.1:${local.port} with its data in .data/redis (AOF, appendfsync always).`,
    );
    url = local.url;
  }
  // Auto-pipelining sends the commands of one tick in one write: a hold is one EVALSHA, and
  // many concurrent holds then share system calls (see BENCHMARKS.md).
  const redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true, enableAutoPipelining: true });
  try {
    await redis.connect();
  } catch (error) {
    return fail(`cannot reach Redis at ${url}: ${(error as Error).message}`);
  }
  cleanups.push(async () => {
    await redis.quit();
  });
  return redis;
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

  const redis = await connectRedis(config);
  const { problems, warnings } = await checkRedisDurability(redis);
  for (const warning of warnings) console.warn(`holdfast: warning: ${warning}`);
  if (problems.length > 0)
    return void (await fail(`refusing to start on this Redis:\n  ${problems.join('\n  ')}`));

  const deps: Deps = { redis, config };
  await ensureAdminToken(deps);
  if (!(await hasAnyStore(deps))) {
    const loaded = await loadDemoData(deps);
    console.log(
      `Empty Redis: loaded demo data (${loaded.stores} stores, ${loaded.products} products, ${loaded.slots} slots).`,
    );
  }

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port });
  await new Promise<void>((ready, failed) => {
    server.once('listening', ready);
    server.once('error', failed);
  }).catch((error: Error) => fail(`cannot listen on port ${config.port}: ${error.message}`));
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  cleanups.push(startSweeper(deps));

  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(
    [
      'Holdfast is running:',
      `  staff app    ${base}/staff/`,
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
