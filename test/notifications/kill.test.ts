import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holdfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { listMessages } from '../../server/notifications/messages-db.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey } from '../helpers/server.ts';
import { KILL_QUEUE, seedZonedStore, startNotifyingServer } from './harness.ts';
import { startTestSmtp, type TestSmtp } from './mail-servers.ts';

let redis: TestRedis;
let pg: TestPostgres;
let db: LedgerDb;
let smtp: TestSmtp;
let survivor: Holdfast | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  // One after the other: two free-port probes racing can pick the same port.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  smtp = await startTestSmtp();
  db = pg.db();
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
  await smtp?.stop();
});

async function spawnInstance(): Promise<{ url: string; child: ChildProcess }> {
  const c = spawn(process.execPath, ['--import', 'tsx', 'test/notifications/notify-instance.ts'], {
    env: { ...process.env, REDIS_URL: redis.url, DATABASE_URL: pg.url, SMTP_URL: smtp.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    c.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /INSTANCE (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    c.once('exit', (code) => reject(new Error(`instance exited (${code}):\n${out}`)));
  });
  return { url, child: c };
}

describe('an instance killed mid-send', () => {
  it('loses no message and sends none twice; the one under way is marked unknown and logged', async () => {
    const spawned = await spawnInstance();
    child = spawned.child;
    await seedZonedStore(spawned.url, 'aiea', 'Pacific/Honolulu', [{ sku: 'KIT', name: 'Kit', onHand: 50 }]);
    // The SMTP server takes the first email's data in but never answers: the send is under way.
    smtp.pause();
    for (let i = 0; i < 6; i++) {
      const res = await call(spawned.url, 'POST', '/api/holds', {
        body: {
          storeId: 'aiea',
          sku: 'KIT',
          quantity: 1,
          customer: { name: `K${i}`, email: `k${i}@example.com` },
        },
        idempotencyKey: newKey('hold'),
      });
      expect(res.status).toBe(201);
    }
    await waitUntil(
      async () => smtp.started(),
      (n) => n >= 1,
      20_000,
    );
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    smtp.resume();

    const log: string[] = [];
    survivor = await startNotifyingServer(
      redis,
      db,
      { smtpUrl: smtp.url },
      {},
      {
        queue: KILL_QUEUE,
        log: (line) => log.push(line),
      },
    );
    const rows = await waitUntil(
      () => listMessages(db.pool, { kind: 'hold_made' }),
      (r) => r.length === 6 && r.every((m) => m.status === 'sent' || m.status === 'unknown'),
      30_000,
    );
    const unknown = rows.filter((m) => m.status === 'unknown');
    // The email that was mid-send when the instance died: not sent again, its outcome said.
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    for (const m of unknown) expect(log.join('\n')).toContain(`message ${m.id}: outcome unknown`);
    // Every other message went; none arrived twice. (The one mid-send may have arrived: its
    // data was complete when the instance died, which is why its outcome is "unknown".)
    const recipients = smtp.mails.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : ''));
    expect(new Set(recipients).size).toBe(recipients.length);
    for (const m of rows.filter((r) => r.status === 'sent')) expect(recipients).toContain(m.recipient);
    expect(smtp.mails.length).toBeLessThanOrEqual(6);
  }, 90_000);
});
