import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Lifecycle } from './lifecycle.ts';
import { ensureRedisServer, type LocalRedis, startLocalRedis } from './local-redis.ts';
import { describeProcess } from './processes.ts';

const ORPHAN_STOP_TIMEOUT_MS = 10_000;

/**
 * `npm start` without REDIS_URL: its own redis-server with its data in `<dataDir>/redis`
 * (AOF, appendfsync always), installed first where it is missing and the machine allows;
 * stopped on the way out. Started once, by the primary, for every worker. Returns its URL.
 */
export async function startOwnRedis(dataDir: string, life: Lifecycle): Promise<string> {
  const missing = ensureRedisServer((line) => console.log(line));
  if (missing !== undefined) return life.fail(missing);
  const ownerFile = resolve(dataDir, 'redis-owner.json');
  await claimLocalRedisDir(ownerFile, life);
  const local: LocalRedis = await startLocalRedis({
    dir: resolve(dataDir, 'redis'),
    appendfsync: 'always',
    ownProcessGroup: true,
  });
  writeFileSync(ownerFile, JSON.stringify({ redisPid: local.process.pid, holdfastPid: process.pid }));
  life.onStop(async () => {
    await local.stop();
    rmSync(ownerFile, { force: true });
  });
  console.log(
    `Started redis-server on 127.0.0.1:${local.port} with its data in .data/redis (AOF, appendfsync always).`,
  );
  return local.url;
}

/**
 * Two redis-servers appending to one AOF would corrupt it, and a Holdfast killed with SIGKILL
 * leaves its redis-server running. So: refuse while another live Holdfast owns the directory,
 * and stop a redis-server whose Holdfast is gone before starting a new one. The owner file
 * records `{ redisPid, holdfastPid }`.
 */
async function claimLocalRedisDir(ownerFile: string, life: Lifecycle): Promise<void> {
  let owner: { redisPid: number; holdfastPid: number };
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const redis = describeProcess(owner.redisPid);
  if (!redis?.name.endsWith('redis-server')) return;
  if (redis.parentPid === owner.holdfastPid) {
    await life.fail(
      `another Holdfast (pid ${owner.holdfastPid}) is running on .data/redis; stop it first, or set REDIS_URL.`,
    );
  }
  console.log(
    `Stopping redis-server ${owner.redisPid}, left running by a Holdfast that did not exit cleanly.`,
  );
  process.kill(owner.redisPid, 'SIGTERM');
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while (describeProcess(owner.redisPid)) {
    if (Date.now() > deadline)
      await life.fail(`redis-server ${owner.redisPid} did not stop; stop it by hand.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
