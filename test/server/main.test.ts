import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/redis/local-redis.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

/** Runs `server/main.ts` as `npm start` does (a single node pid, STACK.md pitfall 7). */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'server/main.ts')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

// Every case sets REDIS_URL and ADMIN_TOKEN or fails before writing, so none touches ./.data.
let redis: TestRedis;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await redis?.stop();
});

describe('npm start', () => {
  it('serves the demo stores on a fresh Redis and shuts down cleanly', async () => {
    const main = startMain({ REDIS_URL: redis.url, PORT: '0', ADMIN_TOKEN: 'an-admin-token-for-this-test' });
    children.push(main.child);
    await waitUntil(
      async () => main.output(),
      (out) => out.includes('Stop with') || main.child.exitCode !== null,
      30_000,
    );
    const base = /API\s+(http:\/\/localhost:\d+)/.exec(main.output())?.[1];
    expect(base, main.output()).toBeDefined();
    const stores = (await (await fetch(`${base}/api/stores`)).json()) as { stores: { id: string }[] };
    expect(stores.stores.map((s) => s.id)).toEqual(['aiea', 'honolulu', 'kapolei']);
    const kit = (await (await fetch(`${base}/api/stores/kapolei/products?q=IPHONE-TRADEIN-KIT`)).json()) as {
      products: { onHand: number }[];
    };
    expect(kit.products[0]?.onHand).toBe(100);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  });

  it('refuses a Redis without AOF and says why', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'holdfast-noaof-'));
    const bare = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'no', '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    children.push(bare);
    try {
      await waitUntil(
        () =>
          fetch(`http://127.0.0.1:${port}`).then(
            () => true,
            (e: Error) => !String(e.cause).includes('ECONNREFUSED'),
          ),
        (up) => up,
      );
      const main = startMain({ REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
      children.push(main.child);
      expect(await main.exited).toBe(1);
      expect(main.output()).toMatch(/AOF is off/);
    } finally {
      bare.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains how to get a Redis when none is installed and REDIS_URL is unset', async () => {
    const main = startMain({ PATH: '/nonexistent', PORT: '0' });
    children.push(main.child);
    expect(await main.exited).toBe(1);
    expect(main.output()).toMatch(/No redis-server was found/);
    expect(main.output()).toMatch(/REDIS_URL/);
  });
});
