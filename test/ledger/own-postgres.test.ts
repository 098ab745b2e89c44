import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeProcess } from '../../server/runtime/processes.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const MAIN = join(process.cwd(), 'server/main.ts');
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
const children: ChildProcess[] = [];
let redis: TestRedis;
let cwd: string;

beforeAll(async () => {
  redis = await startTestRedis();
  cwd = mkdtempSync(join(tmpdir(), 'holdfast-own-pg-'));
  // As root, Postgres runs as the postgres user: it must be able to reach ./.data here.
  chmodSync(cwd, 0o755);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  try {
    const { postgresPid } = ownerRecord();
    if (describeProcess(postgresPid)) process.kill(postgresPid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await redis?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

const ownerRecord = () =>
  JSON.parse(readFileSync(join(cwd, '.data/postgres-owner.json'), 'utf8')) as { postgresPid: number };

/** `npm start` without DATABASE_URL, in the scratch directory, over the test's Redis. */
function startMain() {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redis.url,
      PORT: '0',
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
  const ready = async () => {
    await waitUntil(
      async () => output,
      (out) => out.includes('Stop with') || child.exitCode !== null,
      60_000,
    );
    if (!output.includes('Stop with')) throw new Error(`server did not start:\n${output}`);
  };
  return { child, output: () => output, exited, ready };
}

async function ledgerRows(): Promise<number> {
  const password = readFileSync(join(cwd, '.data/postgres-password'), 'utf8').trim();
  const pidFile = readFileSync(join(cwd, '.data/postgres/postmaster.pid'), 'utf8').split('\n');
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(pidFile[3]),
    user: 'holdfast',
    password,
    database: 'postgres',
  });
  await client.connect();
  try {
    return (
      (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries')).rows[0]?.n ?? 0
    );
  } finally {
    await client.end();
  }
}

describe('npm start without DATABASE_URL', () => {
  it('runs its own Postgres in ./.data/postgres (fsync on), archives into it, and stops it on exit', async () => {
    await redis.flush();
    const first = startMain();
    await first.ready();
    expect(first.output()).toMatch(
      /Started Postgres on 127\.0\.0\.1:\d+ with its data in \.data\/postgres \(fsync on\)/,
    );
    expect(first.output()).toMatch(/Ledger: applied migrations 001/);
    // The demo's imports are archived.
    expect(await waitUntil(ledgerRows, (n) => n >= 3, 20_000)).toBeGreaterThanOrEqual(3);
    const { postgresPid } = ownerRecord();
    expect(describeProcess(postgresPid)?.name).toMatch(/^postgres/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(describeProcess(postgresPid)).toBeUndefined();
  }, 90_000);

  it('stops the postgres a killed Holdfast left behind, and keeps the ledger it wrote', async () => {
    const killed = startMain();
    await killed.ready();
    const orphan = ownerRecord().postgresPid;
    const rows = await waitUntil(ledgerRows, (n) => n >= 3, 20_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(describeProcess(orphan)).toBeDefined();

    const next = startMain();
    await next.ready();
    expect(next.output()).toMatch(new RegExp(`Stopping postgres ${orphan}`));
    expect(describeProcess(orphan)).toBeUndefined();
    expect(next.output()).not.toMatch(/applied migrations/);
    expect(await ledgerRows()).toBeGreaterThanOrEqual(rows);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 90_000);
});
