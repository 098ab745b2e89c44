import { type ChildProcess, spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { LedgerDb } from '../../server/ledger/db.ts';
import type { RedisClient } from '../../server/redis/client.ts';
import { customer } from '../helpers/fixtures.ts';
import { call, newKey } from '../helpers/server.ts';

/** A Holdfast instance in a child process (test/ledger/instance-process.ts), to be killed. */
export async function spawnInstance(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/ledger/instance-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /INSTANCE (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`instance exited (${code}):\n${out}`)));
  });
  return { url, child };
}

export async function killInstance(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Customers making holds of one unit, `concurrency` at a time, over the given servers in turn,
 * until `total` were answered 201. A 503 (Redis away, outcome unknown) is retried with the same
 * Idempotency-Key, as the customer pages do, so each hold is made once. Returns the hold ids.
 */
export async function holdLoad(
  urls: () => string[],
  storeId: string,
  sku: string,
  total: number,
  concurrency: number,
  onProgress: (made: number) => Promise<void> | void = () => undefined,
): Promise<string[]> {
  const ids: string[] = [];
  let started = 0;
  let turn = 0;
  async function worker(): Promise<void> {
    while (started < total) {
      started += 1;
      const key = newKey('kill-hold');
      const body = { storeId, sku, quantity: 1, customer: customer(started) };
      for (let attempt = 0; ; attempt++) {
        const list = urls();
        const url = list[turn++ % list.length] ?? '';
        const res = await call(url, 'POST', '/api/holds', { body, idempotencyKey: key }).catch(
          () => undefined,
        );
        if (res?.status === 201) {
          ids.push(res.body.id);
          await onProgress(ids.length);
          break;
        }
        if (res && res.status !== 503)
          throw new Error(`hold answered ${res.status}: ${JSON.stringify(res.body)}`);
        if (attempt > 400) throw new Error('hold not made after 400 attempts');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** `XINFO STREAM` as a record: length, entries-added, first-entry... in one atomic read. */
export async function streamInfo(
  redis: RedisClient,
  stream: string,
): Promise<{ length: number; added: number; firstId: string | undefined }> {
  const flat = (await redis.xinfo('STREAM', stream)) as unknown[];
  const field = (name: string) => flat[flat.indexOf(name) + 1];
  const first = field('first-entry') as [string, unknown] | null;
  return {
    length: Number(field('length')),
    added: Number(field('entries-added')),
    firstId: first?.[0] ?? undefined,
  };
}

/**
 * Trimming never passes the archived mark: every entry Redis no longer keeps (all those before
 * its first one) is in the ledger. Sampled while the load runs.
 */
export async function checkTrimmedAreArchived(
  redis: RedisClient,
  ledger: LedgerDb,
  stream: string,
): Promise<number> {
  const info = await streamInfo(redis, stream);
  const trimmed = info.added - info.length;
  if (trimmed === 0 || info.firstId === undefined) return 0;
  const [ms, seq] = info.firstId.split('-').map(Number);
  const archived = await ledger.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_entries WHERE stream = $1 AND (entry_ms, entry_seq) < ($2, $3)`,
    [stream, ms, seq],
  );
  expect(archived.rows[0]?.n, 'entries trimmed from Redis that are not in the ledger').toBe(trimmed);
  return trimmed;
}

/** Every entry ever added to the stream is in the ledger exactly once, and so is every hold made. */
export async function checkLedgerComplete(
  redis: RedisClient,
  ledger: LedgerDb,
  stream: string,
  holdIds: string[],
): Promise<void> {
  const info = await streamInfo(redis, stream);
  const rows = await ledger.pool.query<{ n: number; distinct_ids: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT entry_id)::int AS distinct_ids FROM ledger_entries WHERE stream = $1',
    [stream],
  );
  expect(rows.rows[0]).toEqual({ n: info.added, distinct_ids: info.added });
  const holds = await ledger.pool.query<{ hold_id: string }>(
    `SELECT hold_id FROM ledger_entries WHERE stream = $1 AND type = 'hold.created'`,
    [stream],
  );
  const archived = new Set(holds.rows.map((r) => r.hold_id));
  expect(holdIds.filter((id) => !archived.has(id))).toEqual([]);
  expect(holds.rows.length).toBe(holdIds.length);
}
