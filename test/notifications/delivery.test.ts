import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Holdfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { listMessages } from '../../server/notifications/messages-db.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { seedZonedStore, startNotifyingServer } from './harness.ts';
import { startTestSmtp, type TestSmtp } from './mail-servers.ts';

let redis: TestRedis;
let pg: TestPostgres;
let db: LedgerDb;
let smtp: TestSmtp;
const servers: Holdfast[] = [];

beforeAll(async () => {
  // One after the other: two free-port probes racing can pick the same port.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  smtp = await startTestSmtp();
  db = pg.db();
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all([redis?.stop(), pg?.stop()]);
  await smtp?.stop().catch(() => undefined);
});
beforeEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await redis.flush();
  await db.pool.query('TRUNCATE messages');
  smtp.mails.length = 0;
});

async function serve(
  ...args: Parameters<typeof startNotifyingServer> extends [unknown, unknown, ...infer R] ? R : never
) {
  const server = await startNotifyingServer(redis, pg.db(), ...args);
  servers.push(server);
  await seedZonedStore(server.url, 'aiea', 'Pacific/Honolulu', [{ sku: 'KIT', name: 'Kit', onHand: 50 }]);
  return server;
}

async function hold(url: string, n: number) {
  const res = await call(url, 'POST', '/api/holds', {
    body: {
      storeId: 'aiea',
      sku: 'KIT',
      quantity: 1,
      customer: { name: `C${n}`, email: `c${n}@example.com` },
    },
    idempotencyKey: newKey('hold'),
  });
  expect(res.status).toBe(201);
}

const made = async () => (await listMessages(db.pool, { kind: 'hold_made' })).map((m) => m.status);

describe('delivery', () => {
  it('keeps every message with no provider set, as "not sent: no provider"', async () => {
    const server = await serve({});
    await hold(server.url, 1);
    const rows = await waitUntil(
      () => listMessages(db.pool, { kind: 'hold_made' }),
      (r) => r.length === 1 && r[0]?.status === 'not_sent',
      15_000,
    );
    expect(rows[0]).toMatchObject({ recipient: 'c1@example.com', providerAnswer: 'not sent: no provider' });
    // The console's list: admins only, with the contact.
    expect((await call(server.url, 'GET', '/api/admin/messages')).status).toBe(401);
    const listed = await call(server.url, 'GET', '/api/admin/messages?status=not_sent', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.messages[0]).toMatchObject({ kind: 'hold_made', recipient: 'c1@example.com' });
    const bad = await call(server.url, 'GET', '/api/admin/messages?status=lost', { token: TEST_ADMIN_TOKEN });
    expect(bad.status).toBe(400);
  });

  it('retries while the SMTP server is down, then delivers every message once', async () => {
    const server = await serve({ smtpUrl: smtp.url });
    await smtp.stop();
    for (let i = 0; i < 5; i++) await hold(server.url, i);
    await waitUntil(made, (s) => s.length === 5 && s.every((x) => x === 'failed'), 20_000);
    await smtp.start();
    await waitUntil(made, (s) => s.every((x) => x === 'sent'), 30_000);
    const subjects = smtp.mails.map((m) => JSON.stringify(m.to)).sort();
    expect(new Set(subjects).size).toBe(5);
    expect(smtp.mails).toHaveLength(5);
  });

  it('puts a message in the dead letters after its retries, and an admin resends it', async () => {
    const server = await serve(
      { smtpUrl: smtp.url },
      {},
      {
        queue: {
          retryLimit: 1,
          retryDelaySeconds: 1,
          pollingIntervalSeconds: 0.5,
          maintenanceIntervalSeconds: 1,
        },
      },
    );
    await smtp.stop();
    await hold(server.url, 9);
    const [dead] = await waitUntil(
      () => listMessages(db.pool, { kind: 'hold_made' }),
      (r) => r[0]?.status === 'dead',
      30_000,
    );
    expect(dead?.attempts).toBe(2);
    await smtp.start();
    const resent = await call(server.url, 'POST', `/api/admin/messages/${dead?.id}/resend`, {
      token: TEST_ADMIN_TOKEN,
    });
    expect(resent.status).toBe(200);
    await waitUntil(made, (s) => s[0] === 'sent', 15_000);
    expect(smtp.mails).toHaveLength(1);
  });
});
