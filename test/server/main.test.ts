import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/redis/local-redis.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestCluster } from '../helpers/redis-cluster.ts';

const MAIN = join(process.cwd(), 'server/main.ts');
// An absolute loader URL, so the server can run in a scratch directory (its ./.data goes there).
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
const START_TIMEOUT_MS = 30_000;

const children: ChildProcess[] = [];
const scratchDirs: string[] = [];

/** Runs `server/main.ts` as `npm start` does (a single node pid, STACK.md pitfall 7). */
function startMain(env: Record<string, string>, cwd = process.cwd()) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    // The ledger's own Postgres is tested in test/ledger/own-postgres.test.ts: here, one of the test's.
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: pg.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves with the API's base URL once the server says it is running. */
  const ready = async () => {
    await waitUntil(
      async () => output,
      (out) => out.includes('Stop with') || child.exitCode !== null,
      START_TIMEOUT_MS,
    );
    const base = /API\s+(http:\/\/localhost:\d+)/.exec(output)?.[1];
    if (!base) throw new Error(`server did not start:\n${output}`);
    return base;
  };
  return { child, output: () => output, exited, ready };
}

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-main-'));
  scratchDirs.push(dir);
  return dir;
}

function isRunning(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** The pid of the redis-server that `npm start` started in `cwd`. */
function localRedisPid(cwd: string): number {
  return (JSON.parse(readFileSync(join(cwd, '.data/redis-owner.json'), 'utf8')) as { redisPid: number })
    .redisPid;
}

let redis: TestRedis;
let pg: TestPostgres;

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of scratchDirs) {
    try {
      const pid = localRedisPid(dir);
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  await Promise.all([redis?.stop(), pg?.stop()]);
});

describe('npm start', () => {
  it('runs on a Redis Cluster given REDIS_CLUSTER_NODES: checks every primary, loads the demo, takes holds', async () => {
    const cluster = await startTestCluster();
    try {
      const main = startMain({
        REDIS_CLUSTER_NODES: cluster.seeds,
        PORT: '0',
        ADMIN_TOKEN: 'an-admin-token-for-this-test',
      });
      const base = await main.ready();
      // The test cluster runs appendfsync everysec: each of the 3 primaries is named in a warning.
      expect(main.output().match(/warning: 127\.0\.0\.1:\d+: appendfsync is everysec/g)).toHaveLength(3);
      const stores = (await (await fetch(`${base}/api/stores`)).json()) as { stores: { id: string }[] };
      expect(stores.stores.map((s) => s.id)).toEqual(['aiea', 'honolulu', 'kapolei']);
      const hold = await fetch(`${base}/api/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'cluster-main-1' },
        body: JSON.stringify({
          storeId: 'kapolei',
          sku: 'IPHONE-TRADEIN-KIT',
          quantity: 1,
          customer: { name: 'Ana', email: 'ana@example.com' },
        }),
      });
      expect(hold.status).toBe(201);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('serves the demo stores on a fresh Redis, prints the real port for PORT=0, and shuts down cleanly', async () => {
    // REDIS_URL and ADMIN_TOKEN set: nothing is written to ./.data.
    const main = startMain({ REDIS_URL: redis.url, PORT: '0', ADMIN_TOKEN: 'an-admin-token-for-this-test' });
    const base = await main.ready();
    expect(base).not.toMatch(/:0$/);
    const stores = (await (await fetch(`${base}/api/stores`)).json()) as { stores: { id: string }[] };
    expect(stores.stores.map((s) => s.id)).toEqual(['aiea', 'honolulu', 'kapolei']);
    const kit = (await (await fetch(`${base}/api/stores/kapolei/products?q=IPHONE-TRADEIN-KIT`)).json()) as {
      products: { available: number; held?: number }[];
    };
    expect(kit.products[0]?.available).toBe(100);
    // The public list shows what a customer may reserve, not the internal counters.
    expect(kit.products[0]?.held).toBeUndefined();
    expect((await fetch(`${base}/api/openapi.json`)).status).toBe(200);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  });

  it('refuses a Redis without AOF and says why', async () => {
    const port = await freePort();
    const dir = scratchDir();
    const bare = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'no', '--save', ''],
      { stdio: 'ignore' },
    );
    children.push(bare);
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined); // refused until redis-server listens; the wait below retries
    try {
      await waitUntil(
        () => probe.ping().catch(() => 'not yet'),
        (reply) => reply === 'PONG',
      );
      const main = startMain({ REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
      expect(await main.exited).toBe(1);
      expect(main.output()).toMatch(/refusing to start/);
      expect(main.output()).toMatch(/AOF is off/);
    } finally {
      probe.disconnect();
      bare.kill('SIGKILL');
    }
  });

  it('explains how to get a Redis when none is installed and REDIS_URL is unset', async () => {
    const main = startMain({ PATH: '/nonexistent', PORT: '0' }, scratchDir());
    expect(await main.exited).toBe(1);
    expect(main.output()).toMatch(/No redis-server was found/);
    expect(main.output()).toMatch(/apt-get install -y redis-server/);
    expect(main.output()).toMatch(/REDIS_URL/);
  });

  it('without REDIS_URL runs its own Redis in ./.data, makes a first-run admin token, and stops Redis on exit', async () => {
    const cwd = scratchDir();
    const first = startMain({ PORT: '0' }, cwd);
    const base = await first.ready();
    const token = /Admin token \(shown once.*\): (\S+)/.exec(first.output())?.[1];
    expect(token, first.output()).toBeDefined();
    const tokenFile = join(cwd, '.data/admin-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const asAdmin = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${base}/api/admin/devices`, asAdmin)).status).toBe(200);
    expect((await fetch(`${base}/api/admin/devices`)).status).toBe(401);

    const redisPid = localRedisPid(cwd);
    expect(isRunning(redisPid)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(isRunning(redisPid)).toBe(false);

    // The second start finds the data in the AOF: same token, no demo reload, no new token shown.
    const second = startMain({ PORT: '0' }, cwd);
    const again = await second.ready();
    expect(second.output()).not.toMatch(/shown once|Empty Redis/);
    expect((await fetch(`${again}/api/admin/devices`, asAdmin)).status).toBe(200);
    const stores = (await (await fetch(`${again}/api/stores`)).json()) as { stores: unknown[] };
    expect(stores.stores).toHaveLength(3);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('stops the redis-server a killed Holdfast left behind before starting another on the same data', async () => {
    const cwd = scratchDir();
    const killed = startMain({ PORT: '0' }, cwd);
    await killed.ready();
    const orphan = localRedisPid(cwd);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(isRunning(orphan)).toBe(true);

    const next = startMain({ PORT: '0' }, cwd);
    const base = await next.ready();
    expect(next.output()).toMatch(new RegExp(`Stopping redis-server ${orphan}`));
    expect(isRunning(orphan)).toBe(false);
    const stores = (await (await fetch(`${base}/api/stores`)).json()) as { stores: unknown[] };
    expect(stores.stores).toHaveLength(3);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });

  it('refuses to share ./.data/redis with a Holdfast that is still running', async () => {
    const cwd = scratchDir();
    const running = startMain({ PORT: '0' }, cwd);
    await running.ready();
    const second = startMain({ PORT: '0' }, cwd);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/another Holdfast .* is running on \.data\/redis/);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
