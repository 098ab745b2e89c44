/**
 * Issue 16 §1, §4, §5 in Chromium at a phone's size, in another time zone than the store's: a
 * launch line whose opening matches a release, and one whose opening matches none (a room set
 * before the server refused such openings): the pages promise only true things, "every spot is
 * taken" never shows while spots are left, and a booking without a turn is refused.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKeys } from '../../server/appointments/keys.ts';
import { WAITING_ROOMS_INDEX_KEY } from '../../server/redis/keys.ts';
import { tickWaitingRoom } from '../../server/waiting-room/room.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { manualClock } from '../helpers/clock.ts';
import { HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
const PHONE = { viewport: { width: 390, height: 844 }, timezoneId: 'America/Chicago' };
const admin = { token: TEST_ADMIN_TOKEN };
const releaseDate = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
const T0 = slotOpensAt(releaseDate, HNL.timeZone);
/** A room set before the check: its opening, 9:54 AM on the release's eve, opens no slot. */
const WRONG = T0 + (9 * 60 + 54) * 60_000;
const clock = manualClock(T0 - 5 * 60_000);

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const pages: Page[] = [];
const closers: { close(): Promise<void> }[] = [];

async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `customer-${name}.png`), fullPage: true });
}

async function openPage(path: string): Promise<Page> {
  const browser = await launchTablet(PHONE);
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.clock.setFixedTime(clock.now());
  pages.push(page);
  await page.goto(`${server.url}${path}`);
  return page;
}

/** Moves the server's and every page's clock to `at`, then runs the rooms' step. */
async function moveTo(at: number, eventId: string): Promise<void> {
  clock.advance(at - clock.now());
  for (const page of pages) await page.clock.setFixedTime(at);
  await tickWaitingRoom(server.deps, eventId);
}

async function createEvent(id: string): Promise<void> {
  expect(
    (await call(server.url, 'POST', '/api/admin/events', { ...admin, body: { id, name: 'Launch' } })).status,
  ).toBe(201);
  const slots = await call(server.url, 'POST', `/api/admin/events/${id}/slots`, {
    ...admin,
    body: {
      storeIds: ['aiea'],
      firstDate: releaseDate,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      capacity: 100,
    },
  });
  expect(slots.status).toBe(201);
}

beforeAll(async () => {
  webRoot = buildWebApp('customer-launch-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, { trustProxy: true }, { webRoot, clock });
  await seedStore(server.url, 'aiea', [{ sku: 'case', onHand: 1 }]);
  await createEvent('true-launch');
  await createEvent('wrong-launch');
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

const releaseDayText = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  timeZone: HNL.timeZone,
}).format(T0 + 34 * 60 * 60_000);

describe('a launch line (issue 16 §1, §4, §5)', () => {
  it('opening at a release: promises those spots, never "every spot is taken" while spots are left, refuses a booking without a turn, and "Book now" opens the release day with the turn’s countdown', async () => {
    const room = await call(server.url, 'PUT', '/api/admin/events/true-launch/waiting-room', {
      ...admin,
      body: { enabled: true, admissionsPerMinute: 60, ticketMinutes: 2, opensAt: T0 },
    });
    expect(room.status).toBe(200);

    // A customer who never joins: the event page says this day needs a turn, and the server agrees.
    const direct = await openPage('/events/true-launch');
    await direct.getByText('Booking this day needs your turn in the waiting line.').waitFor();

    const page = await openPage('/events/true-launch/waiting-room');
    await page
      .getByText(new RegExp(`^Spots for ${releaseDayText} open \\w+day, \\w+ \\d+ at 12:00 AM HST`))
      .waitFor();
    await expectAccessible(page);
    await page.getByLabel('Your name').fill('Leilani Test');
    await page.getByLabel(/^Email/).fill('leilani@example.com');
    await page.getByRole('button', { name: 'Join the line' }).click();
    await page.getByRole('heading', { name: 'You are in line' }).waitFor();

    // The same email on a second device (another connection) sees its place, not a join form's refusal only.
    const second = await openPage('/events/true-launch/waiting-room');
    await second.getByLabel('Your name').fill('Leilani Test');
    await second.getByLabel(/^Email/).fill('LEILANI@example.com');
    await second.getByRole('button', { name: 'Join the line' }).click();
    await second.getByRole('heading', { name: 'Your place, from another device' }).waitFor();
    await second
      .getByText(/This email or phone has a place in line; places are drawn at 12:00 AM HST/)
      .waitFor();
    await expectAccessible(second);
    await shot(second, 'waiting-second-device');

    await moveTo(T0 + 1_000, 'true-launch');
    await moveTo(T0 + 3_000, 'true-launch');
    await page.getByRole('heading', { name: 'Your turn: book now' }).waitFor();
    expect(await page.getByText('Every spot is taken').count()).toBe(0);

    await direct.reload();
    await direct.getByTestId('slot').filter({ hasText: '100 left' }).first().getByRole('radio').check();
    await direct.getByLabel('Your name').fill('Never Joined');
    await direct.getByLabel(/^Email/).fill('never@example.com');
    await direct.getByRole('button', { name: 'Book this time' }).click();
    await direct
      .getByRole('alert')
      .getByText(/This release has a waiting line/)
      .waitFor();

    await page.getByRole('link', { name: 'Book now' }).click();
    await page.waitForURL(new RegExp(`/events/true-launch\\?day=${releaseDate}$`));
    await page.getByText(/^Your turn: book by \d{1,2}:\d{2} [AP]M HST \(\d:\d{2} left\)\.$/).waitFor();
    const days = page.getByRole('group', { name: 'Day' }).getByRole('button', { pressed: true });
    expect(await days.textContent()).toMatch(/\w{3}, \w{3} \d+/);
    await expectAccessible(page);
    await shot(page, 'event-your-turn');
    await page.getByTestId('slot').filter({ hasText: '100 left' }).first().getByRole('radio').check();
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.waitForURL(/\/bookings\/[^#]+#.+/);
  }, 120_000);

  it('opening at no release: the API refuses it; a room set so earlier promises no spots and never says "sold out"', async () => {
    const refused = await call(server.url, 'PUT', '/api/admin/events/wrong-launch/waiting-room', {
      ...admin,
      body: { enabled: true, admissionsPerMinute: 60, ticketMinutes: 2, opensAt: WRONG },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('WAITING_ROOM_OPENING_NOT_A_RELEASE');
    // The room as a release before this check could leave it: on, opening at 9:54 AM.
    await redis.client().hset(eventKeys('wrong-launch').room, {
      on: '1',
      admissionsPerMinute: 60,
      ticketMs: 120_000,
      opensAt: WRONG,
      placesPerConnection: 50,
    });
    await redis.client().sadd(WAITING_ROOMS_INDEX_KEY, 'wrong-launch');

    const page = await openPage('/events/wrong-launch/waiting-room');
    await page.getByText(/^The line opens \w+day, \w+ \d+ at 9:54 AM HST/).waitFor();
    expect(await page.getByText(/^Spots for/).count()).toBe(0);
    await shot(page, 'waiting-no-release');
    await page.getByLabel('Your name').fill('Kai Early');
    await page.getByLabel(/^Email/).fill('kai@example.com');
    await page.getByRole('button', { name: 'Join the line' }).click();
    await page.getByRole('heading', { name: 'You are in line' }).waitFor();

    await moveTo(WRONG + 1_000, 'wrong-launch');
    await moveTo(WRONG + 3_000, 'wrong-launch');
    await page.getByRole('heading', { name: 'Your turn: book now' }).waitFor();
    expect(await page.getByText('Every spot is taken').count()).toBe(0);
    const room = await call(server.url, 'GET', '/api/events/wrong-launch/waiting-room');
    expect(room.body.soldOut).toBe(false);
  }, 120_000);
});
