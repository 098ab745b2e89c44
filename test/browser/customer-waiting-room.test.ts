/**
 * The waiting line of a release in Chromium, on a production build, at a phone's size: the
 * event page sends a customer without a turn to the line; the line counts down to the opening,
 * then shows the place and the wait, live, then "Your turn: book now", which books.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickWaitingRoom } from '../../server/waiting-room/room.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { manualClock } from '../helpers/clock.ts';
import { HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const EVENT = 'launch';
const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `customer-${name}.png`), fullPage: true });
}
const releaseDate = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
const T0 = slotOpensAt(releaseDate, HNL.timeZone);
const clock = manualClock(T0 - 5 * 60_000);

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
let browser: { close(): Promise<void> } | undefined;
/** The page's clock follows the server's test clock (slot states are recomputed in the page). */
let setPageTime: (at: number) => Promise<void> = async () => {};

beforeAll(async () => {
  webRoot = buildWebApp('waiting-room-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, { trustProxy: true }, { webRoot, clock });
  await seedStore(server.url, 'aiea', [{ sku: 'case', onHand: 1 }]);
  const admin = { token: TEST_ADMIN_TOKEN };
  expect(
    (await call(server.url, 'POST', '/api/admin/events', { ...admin, body: { id: EVENT, name: 'Launch' } }))
      .status,
  ).toBe(201);
  const slots = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
    ...admin,
    body: {
      storeIds: ['aiea'],
      firstDate: releaseDate,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      capacity: 10,
    },
  });
  expect(slots.status).toBe(201);
  const room = await call(server.url, 'PUT', `/api/admin/events/${EVENT}/waiting-room`, {
    ...admin,
    body: { enabled: true, admissionsPerMinute: 60, ticketMinutes: 10 },
  });
  expect(room.status).toBe(200);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

const tickAt = async (at: number) => {
  clock.advance(at - clock.now());
  await setPageTime(at);
  await tickWaitingRoom(server.deps, EVENT);
};

describe('the waiting line page', () => {
  it('counts down to the opening, shows the place and wait live, then lets the customer book', async () => {
    const launched = await launchTablet({ viewport: { width: 390, height: 844 }, timezoneId: 'UTC' });
    browser = launched;
    const page = await launched.context.newPage();
    page.setDefaultTimeout(15_000);
    setPageTime = (at) => page.clock.setFixedTime(at);
    await setPageTime(clock.now());

    await page.goto(`${server.url}/events/${EVENT}`);
    await page.getByText('Booking this day needs your turn in the waiting line.').waitFor();
    await page.getByRole('link', { name: 'Join the waiting line' }).click();
    await page.getByRole('heading', { name: 'Launch: waiting line' }).waitFor();
    await page.getByText('Everyone in line at the opening gets a random place').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Your name').fill('Leilani Test');
    await page.getByLabel(/^Email/).fill('leilani@example.com');
    await page.getByRole('button', { name: 'Join the line' }).click();
    await page.getByRole('heading', { name: 'You are in line' }).waitFor();
    await page.getByText(/The line opens \w+day, \w+ \d{1,2} at 12:00 AM HST: 5:00 from now/).waitFor();
    await shot(page, 'waiting-before-opening');
    await expectAccessible(page);

    // Two more customers, from their own connections, before the opening.
    for (const n of [1, 2]) {
      const joined = await call(server.url, 'POST', `/api/events/${EVENT}/waiting-room/places`, {
        idempotencyKey: newKey('join'),
        body: { customer: { name: `Other ${n}`, email: `other${n}@example.com` } },
        headers: { 'x-forwarded-for': `10.0.0.${n}` },
      });
      expect(joined.status).toBe(201);
    }

    await tickAt(T0);
    await page.getByRole('heading', { name: /^Your place in line: [123]$/ }).waitFor();
    await page.getByText(/^Estimated wait: about (a minute|\d+ minutes)\.$/).waitFor();
    await page.getByText(/^3 people in line/).waitFor();
    await shot(page, 'waiting-place');
    await expectAccessible(page);

    // One a second: after three seconds everyone who waited has a turn.
    await tickAt(T0 + 3_000);
    await page.getByRole('heading', { name: 'Your turn: book now' }).waitFor();
    await page.getByText(/Your turn lasts until/).waitFor();
    await shot(page, 'waiting-turn');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Book now' }).click();
    await page.getByRole('radio', { name: /^9:00 AM HST, 10 left/ }).check();
    expect(await page.getByLabel('Your name').inputValue()).toBe('Leilani Test');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.waitForURL(/\/bookings\/[^#]+#.+/);
  }, 90_000);
});
