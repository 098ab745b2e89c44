import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/redis/local-redis.ts';
import { BUILDS_DIR } from '../../server/web/build.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const MAIN = join(process.cwd(), 'server/main.ts');
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;

const children: ChildProcess[] = [];
let redis: TestRedis;
let pg: TestPostgres;

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([redis?.stop(), pg?.stop()]);
});

/** `npm start` exactly: `server/main.ts --build`, one node process. */
function npmStart(port: number) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, '--build'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redis.url,
      DATABASE_URL: pg.url,
      PORT: String(port),
      ADMIN_TOKEN: 'an-admin-token-for-this-test',
    },
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
  return { child, exited, output: () => output };
}

describe('npm start (issue 8.11)', () => {
  it('refuses a taken port before building anything', async () => {
    const port = await freePort();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(port, resolve));
    try {
      const start = npmStart(port);
      expect(await start.exited).toBe(1);
      expect(start.output()).toMatch(/cannot listen on port/);
      expect(existsSync(join(BUILDS_DIR, String(start.child.pid)))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('serves its own build, which a second start on the same port leaves untouched', async () => {
    const port = await freePort();
    const first = npmStart(port);
    await waitUntil(
      async () => first.output(),
      (out) => out.includes('Stop with') || first.child.exitCode !== null,
      90_000,
    );
    const index = join(BUILDS_DIR, String(first.child.pid), 'index.html');
    const served = statSync(index).mtimeMs;
    expect((await fetch(`http://127.0.0.1:${port}/staff/`)).status).toBe(200);

    const second = npmStart(port);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/cannot listen on port/);
    expect(statSync(index).mtimeMs).toBe(served);
    expect((await fetch(`http://127.0.0.1:${port}/staff/`)).status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(index)).toBe(false);
  }, 120_000);
});
