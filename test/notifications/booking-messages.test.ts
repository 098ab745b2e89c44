import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holdfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { listMessages } from '../../server/notifications/messages-db.ts';
import { addDays, dateInZone, zonedTimeToEpochMs, zoneOffsetMs } from '../../shared/time.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { clockOf, PUBLIC_URL, seedZonedStore, startNotifyingServer } from './harness.ts';
import { startTestSmtp, type TestSmtp } from './mail-servers.ts';

let redis: TestRedis;
let pg: TestPostgres;
let db: LedgerDb;
let smtp: TestSmtp;
let server: Holdfast;
let second: Holdfast | undefined;
const NY = 'America/New_York';

beforeAll(async () => {
  // One after the other: two free-port probes racing can pick the same port.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  smtp = await startTestSmtp();
  db = pg.db();
  server = await startNotifyingServer(redis, pg.db(), { smtpUrl: smtp.url });
  // A store in a zone with daylight saving.
  await seedZonedStore(server.url, 'nyc', NY, [{ sku: 'KIT', name: 'Kit', onHand: 1 }]);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await second?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
  await smtp?.stop();
});

/** The calendar part's properties, lines unfolded (RFC 5545 §3.1). */
function parseIcs(text: string): Map<string, string> {
  const lines = text.replace(/\r\n[ \t]/g, '').split(/\r\n/);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.filter((l) => l !== '').at(-1)).toBe('END:VCALENDAR');
  const props = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) props.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return props;
}

function icsOf(mail: ParsedMail | undefined): Map<string, string> {
  const part = mail?.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(part).toBeDefined();
  return parseIcs(part?.content.toString('utf8') ?? '');
}

const mailsTo = (to: string) => smtp.mails.filter((m) => JSON.stringify(m.to ?? '').includes(to));

describe('messages about a booking', () => {
  it('sends the booking with an invitation, moves it on reschedule (same UID, higher SEQUENCE) and cancels it', async () => {
    const event = await call(server.url, 'POST', '/api/admin/events', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'fitting', name: 'Wetsuit fitting' },
    });
    expect(event.status).toBe(201);
    const date = addDays(dateInZone(Date.now(), NY), 1);
    const slots = await call(server.url, 'POST', '/api/admin/events/fitting/slots', {
      token: TEST_ADMIN_TOKEN,
      body: { storeIds: ['nyc'], firstDate: date, days: 1, dayStart: '09:00', dayEnd: '10:00', capacity: 5 },
    });
    expect(slots.status).toBe(201);
    const slot = (hhmm: string) => `fitting.nyc.${date.replaceAll('-', '')}${hhmm}`;
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId: slot('0900'), customer: { name: 'Bo', email: 'bo@example.com' } },
    });
    expect(booked.status).toBe(201);
    const b = booked.body as { id: string; manageToken: string; startsAt: number };

    const [made] = await waitUntil(
      async () => mailsTo('bo@'),
      (m) => m.length >= 1,
      15_000,
    );
    // 9:00 AM in New York, labelled with the zone's name that day (EST or EDT).
    const label = zoneOffsetMs(b.startsAt, NY) === -4 * 3_600_000 ? 'EDT' : 'EST';
    expect(clockOf(b.startsAt, zoneOffsetMs(b.startsAt, NY))).toBe('9:00 AM');
    expect(made?.subject).toContain(`9:00 AM ${label}`);
    expect(made?.text).toContain(`${PUBLIC_URL}/bookings/${encodeURIComponent(b.id)}#${b.manageToken}`);
    const first = icsOf(made);
    expect(first.get('METHOD')).toBe('REQUEST');
    expect(first.get('UID')).toBe(`${b.id}@holdfast`);
    expect(first.get('DTSTART')).toBe(new Date(b.startsAt).toISOString().replace(/[-:]|\.\d{3}/g, ''));

    const moved = await call(server.url, 'POST', `/api/bookings/${b.id}/reschedule`, {
      token: b.manageToken,
      idempotencyKey: newKey('move'),
      body: { slotId: slot('0930') },
    });
    expect(moved.status).toBe(200);
    const movedMail = (
      await waitUntil(
        async () => mailsTo('bo@'),
        (m) => m.length >= 2,
        15_000,
      )
    )[1];
    expect(movedMail?.subject).toContain(`9:30 AM ${label}`);
    const second = icsOf(movedMail);
    expect(second.get('UID')).toBe(first.get('UID'));
    expect(Number(second.get('SEQUENCE'))).toBeGreaterThan(Number(first.get('SEQUENCE')));
    expect(second.get('DTSTART')).toBe(
      new Date(b.startsAt + 30 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, ''),
    );

    const cancelled = await call(server.url, 'DELETE', `/api/bookings/${b.id}`, {
      token: b.manageToken,
      idempotencyKey: newKey('cancel'),
    });
    expect(cancelled.status).toBe(200);
    const cancelMail = (
      await waitUntil(
        async () => mailsTo('bo@'),
        (m) => m.length >= 3,
        15_000,
      )
    )[2];
    const third = icsOf(cancelMail);
    expect(third.get('METHOD')).toBe('CANCEL');
    expect(third.get('STATUS')).toBe('CANCELLED');
    expect(third.get('UID')).toBe(first.get('UID'));
    expect(Number(third.get('SEQUENCE'))).toBeGreaterThanOrEqual(Number(second.get('SEQUENCE')));
    const kinds = (await listMessages(db.pool, {})).map((m) => m.kind).sort();
    expect(kinds).toEqual(['booking_cancelled', 'booking_made', 'booking_rescheduled']);
    expect(mailsTo('bo@')).toHaveLength(3);
  });

  it('reminds before the appointment, and withdraws the reminders of a moved or cancelled booking', async () => {
    // One instance, whose reminder comes 5 s from now for the 9:00 slot.
    await server.close();
    const date = addDays(dateInZone(Date.now(), NY), 1);
    const nine = zonedTimeToEpochMs(date, '09:00', NY);
    second = await startNotifyingServer(
      redis,
      db,
      { smtpUrl: smtp.url },
      {},
      {
        remindersMs: [nine - (Date.now() + 5_000)],
      },
    );
    const url = second.url;
    expect(
      (
        await call(url, 'POST', '/api/admin/events', {
          token: TEST_ADMIN_TOKEN,
          body: { id: 'tasting', name: 'Tasting' },
        })
      ).status,
    ).toBe(201);
    const slots = await call(url, 'POST', '/api/admin/events/tasting/slots', {
      token: TEST_ADMIN_TOKEN,
      body: { storeIds: ['nyc'], firstDate: date, days: 1, dayStart: '09:00', dayEnd: '10:00', capacity: 5 },
    });
    expect(slots.status).toBe(201);
    const slot = (hhmm: string) => `tasting.nyc.${date.replaceAll('-', '')}${hhmm}`;
    const book = async (who: string) => {
      const res = await call(url, 'POST', '/api/bookings', {
        idempotencyKey: newKey('book'),
        body: { slotId: slot('0900'), customer: { name: who, email: `${who}@example.com` } },
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; manageToken: string };
    };
    await book('stays');
    const moves = await book('moves');
    const cancels = await book('cancels');
    // Each one's booking email went first (its reminder job is scheduled as it is made).
    await waitUntil(
      async () =>
        (await listMessages(db.pool, { kind: 'booking_made' })).filter((m) =>
          m.subjectId.startsWith('tasting.'),
        ).length,
      (n) => n === 3,
      15_000,
    );
    const moved = await call(url, 'POST', `/api/bookings/${moves.id}/reschedule`, {
      token: moves.manageToken,
      idempotencyKey: newKey('move'),
      body: { slotId: slot('0930') },
    });
    expect(moved.status).toBe(200);
    const cancelled = await call(url, 'DELETE', `/api/bookings/${cancels.id}`, {
      token: cancels.manageToken,
      idempotencyKey: newKey('cancel'),
    });
    expect(cancelled.status).toBe(200);

    const reminder = await waitUntil(
      async () => mailsTo('stays@').find((m) => m.subject?.startsWith('Reminder:')),
      (m) => m !== undefined,
      30_000,
    );
    expect(reminder?.subject).toContain('9:00 AM');
    // Every reminder due by now has run: the moved and the cancelled one sent nothing.
    await waitUntil(
      async () =>
        (
          await db.pool.query(
            "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notify-reminder' AND start_after <= now() AND state <> 'completed'",
          )
        ).rows[0].n,
      (n) => n === 0,
      15_000,
    );
    expect(
      mailsTo('moves@')
        .map((m) => m.subject)
        .filter((s) => s?.startsWith('Reminder:')),
    ).toEqual([]);
    expect(
      mailsTo('cancels@')
        .map((m) => m.subject)
        .filter((s) => s?.startsWith('Reminder:')),
    ).toEqual([]);
    expect(mailsTo('stays@').filter((m) => m.subject?.startsWith('Reminder:'))).toHaveLength(1);
  }, 90_000);
});
