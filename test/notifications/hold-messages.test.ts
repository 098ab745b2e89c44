import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeAuditStream } from '../../server/audit/streams.ts';
import type { Holdfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { listMessages } from '../../server/notifications/messages-db.ts';
import { NOTIFIER_GROUP } from '../../server/notifications/notifier.ts';
import { enrollTablet, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey } from '../helpers/server.ts';
import { clockOf, PUBLIC_URL, seedZonedStore, startNotifyingServer } from './harness.ts';
import { startTestSmtp, startTestTwilio, type TestSmtp, type TestTwilio } from './mail-servers.ts';

let redis: TestRedis;
let pg: TestPostgres;
let db: LedgerDb;
let smtp: TestSmtp;
let twilio: TestTwilio;
let server: Holdfast;
const HNL_OFFSET = -10 * 3_600_000;

beforeAll(async () => {
  // One after the other: two free-port probes racing can pick the same port.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  smtp = await startTestSmtp();
  twilio = await startTestTwilio();
  db = pg.db();
  server = await startNotifyingServer(
    redis,
    pg.db(),
    { smtpUrl: smtp.url, twilioApiBase: twilio.apiBase },
    { storeAckTimeoutMs: 1_000 },
  );
}, 60_000);
afterAll(async () => {
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop(), twilio?.close()]);
  await smtp?.stop();
});
beforeEach(async () => {
  await redis.flush();
  await seedZonedStore(server.url, 'aiea', 'Pacific/Honolulu', [
    { sku: 'KIT', name: 'Surf kit', onHand: 20 },
  ]);
});

const ann = (tag: string) => ({ name: 'Ann', email: `ann-${tag}@example.com`, phone: `+1808555${tag}` });
const mailsTo = (to: string) => smtp.mails.filter((m) => m.to && JSON.stringify(m.to).includes(to));
const textsTo = (to: string) => twilio.requests.filter((r) => r.to === to);
const messagesOf = async (subjectId: string) =>
  (await listMessages(db.pool, {})).filter((m) => m.subjectId === subjectId);

async function makeHold(tag: string) {
  const res = await call(server.url, 'POST', '/api/holds', {
    body: { storeId: 'aiea', sku: 'KIT', quantity: 2, customer: ann(tag) },
    idempotencyKey: newKey('hold'),
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; manageToken: string; expiresAt: number };
}

describe('messages about a pickup hold', () => {
  it('tells the customer by email and text, once each, with the store-zone time and a working link', async () => {
    const hold = await makeHold('0001');
    const [mail] = await waitUntil(
      async () => mailsTo('ann-0001@'),
      (m) => m.length >= 1,
      15_000,
    );
    expect(mail?.subject).toBe('Held for you: 2 × Surf kit at Store aiea');
    const by = `${clockOf(hold.expiresAt, HNL_OFFSET)} HST`;
    expect(mail?.text).toContain(`Confirm by ${by}`);
    expect(mail?.html).toContain(`Confirm by ${by}`);
    const link = /Manage it: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(link.startsWith(`${PUBLIC_URL}/holds/${encodeURIComponent(hold.id)}#`)).toBe(true);
    // The link's token opens the hold (the link works).
    const token = link.split('#')[1] ?? '';
    expect((await call(server.url, 'GET', `/api/holds/${hold.id}`, { token })).status).toBe(200);

    const [text] = await waitUntil(
      async () => textsTo('+18085550001'),
      (t) => t.length >= 1,
      15_000,
    );
    expect(text?.body).toContain(`Confirm by ${by}`);
    expect(text?.body).toContain(link);
    expect(text?.from).toBe('+18085550199');
    expect(text?.authorization).toBe(`Basic ${Buffer.from('ACtest:secret').toString('base64')}`);
    await waitUntil(
      () => messagesOf(hold.id),
      (m) => m.filter((x) => x.kind === 'hold_made').every((x) => x.status === 'sent'),
    );
  });

  it('says received, ready and cancelled as the hold moves, and never sends a replayed event twice', async () => {
    const hold = await makeHold('0002');
    const tablet = await enrollTablet(server.url, 'aiea');
    const staff = (step: string) =>
      call(server.url, 'POST', `/api/staff/aiea/holds/${hold.id}/${step}`, {
        token: tablet.token,
        idempotencyKey: newKey(step),
      });
    expect((await staff('ack')).status).toBe(200);
    const confirm = await call(server.url, 'POST', `/api/holds/${hold.id}/confirm`, {
      token: hold.manageToken,
      idempotencyKey: newKey('confirm'),
    });
    expect(confirm.status).toBe(200);
    expect((await staff('pick')).status).toBe(200);
    const kinds = ['hold_made', 'hold_received', 'hold_ready'];
    const subjects = await waitUntil(
      async () => mailsTo('ann-0002@').map((m) => m.subject),
      (s) => s.length >= 3,
      15_000,
    );
    expect(subjects).toEqual([
      'Held for you: 2 × Surf kit at Store aiea',
      'Store aiea has received your hold',
      'Ready for pickup: 2 × Surf kit at Store aiea',
    ]);
    const ready = mailsTo('ann-0002@')[2];
    expect(ready?.text).toContain('openstreetmap.org');
    expect(ready?.text).toContain('Give the name Ann');

    // Every entry handed to the notifier again (as after a crash before XACK), with a second
    // instance reading too: nothing is made or sent twice.
    await redis.client().xgroup('SETID', storeAuditStream('aiea'), NOTIFIER_GROUP, '0');
    const again = await startNotifyingServer(redis, pg.db(), {
      smtpUrl: smtp.url,
      twilioApiBase: twilio.apiBase,
    });
    const cancel = await call(again.url, 'DELETE', `/api/holds/${hold.id}`, {
      token: hold.manageToken,
      idempotencyKey: newKey('cancel'),
    });
    expect(cancel.status).toBe(200);
    await waitUntil(
      async () => mailsTo('ann-0002@').length,
      (n) => n >= 4,
      15_000,
    );
    await waitUntil(
      () => messagesOf(hold.id),
      (m) => m.length === 8 && m.every((x) => x.status === 'sent'),
      15_000,
    );
    await again.close();
    expect(mailsTo('ann-0002@').map((m) => m.subject)).toHaveLength(4);
    expect(textsTo('+18085550002')).toHaveLength(4);
    expect((await messagesOf(hold.id)).map((m) => m.kind).sort()).toEqual(
      [...kinds, 'hold_cancelled'].flatMap((k) => [k, k]).sort(),
    );
  });

  it('gives the store’s phone number when no tablet received the hold in time', async () => {
    const hold = await makeHold('0003');
    const mail = await waitUntil(
      async () => mailsTo('ann-0003@').find((m) => m.subject === 'Store aiea has not seen your hold yet'),
      (m) => m !== undefined,
      15_000,
    );
    expect(mail?.text).toContain('please call the store at 808-555-0100');
    expect((await messagesOf(hold.id)).filter((m) => m.kind === 'hold_unreachable')).toHaveLength(2);
  });
});
