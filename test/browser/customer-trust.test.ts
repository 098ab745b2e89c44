/**
 * Issue 16 §2, §3, §6-§10 and issue 15 §6 in Chromium at a phone's size, in Chicago time: the
 * shop's name, tolerant search kept in the address, the way back to a booking, "call the store"
 * only when it matters, a hold page with what the counter needs, and focus that follows.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingLinkRequestsKey } from '../../server/customer/keys.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { manualClock } from '../helpers/clock.ts';
import { enrollTablet, HNL } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
const admin = { token: TEST_ADMIN_TOKEN };
const EVENT = 'trade-in';
const DAY = addDays(dateInZone(Date.now(), HNL.timeZone), 2);
/** The evening before the booked day, 10 PM store time: the store is closed. */
const EVENING = zonedTimeToEpochMs(addDays(DAY, -1), '22:00', HNL.timeZone);
const MORNING = zonedTimeToEpochMs(DAY, '09:05', HNL.timeZone);
const clock = manualClock(EVENING);

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const pages: Page[] = [];
const closers: { close(): Promise<void> }[] = [];
let bookingPath = '';

async function shot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `customer-${name}.png`), fullPage: true });
}

async function openPage(path: string): Promise<Page> {
  const browser = await launchTablet({
    viewport: { width: 390, height: 844 },
    timezoneId: 'America/Chicago',
  });
  closers.push(browser);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.clock.setFixedTime(clock.now());
  pages.push(page);
  await page.goto(`${server.url}${path}`);
  return page;
}

async function moveTo(at: number): Promise<void> {
  clock.advance(at - clock.now());
  for (const page of pages) await page.clock.setFixedTime(at);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

beforeAll(async () => {
  webRoot = buildWebApp('customer-trust-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, { storeAckTimeoutMs: 120_000 }, { webRoot, clock });
  const products = [
    { sku: 'PWR-KONA-2', name: 'Kona Power Bank 20k', category: 'Power', priceLabel: '$59.99', onHand: 5 },
    ...Array.from({ length: 24 }, (_, i) => ({
      sku: `PWR-VOLT-${i + 1}`,
      name: `Volt Power Bank ${i + 1}`,
      category: 'Power',
      priceLabel: '$39.99',
      onHand: 3,
    })),
  ];
  for (const [id, name] of [
    ['aiea', 'BetterBuy - Aiea'],
    ['kapolei', 'BetterBuy - Kapolei'],
  ] as const) {
    const store = await call(server.url, 'PUT', `/api/admin/stores/${id}`, {
      ...admin,
      body: { id, name, address: `1 ${id} St`, phone: '(808) 555-0101', ...HNL },
    });
    expect(store.status).toBe(200);
    const imported = await call(server.url, 'POST', `/api/admin/stores/${id}/products`, {
      ...admin,
      idempotencyKey: newKey('import'),
      body: { products },
    });
    expect(imported.status).toBe(200);
  }
  await call(server.url, 'POST', '/api/admin/events', {
    ...admin,
    body: { id: EVENT, name: 'Trade-in day' },
  });
  const slots = await call(server.url, 'POST', `/api/admin/events/${EVENT}/slots`, {
    ...admin,
    body: { storeIds: ['aiea'], firstDate: DAY, days: 1, dayStart: '09:00', dayEnd: '12:00', capacity: 10 },
  });
  expect(slots.status).toBe(201);
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

describe('what a customer can trust (issue 16)', () => {
  it('shows the shop’s name, finds products however typed, pages them, and keeps the query on Back', async () => {
    const page = await openPage('/');
    await page.getByRole('heading', { level: 1, name: 'BetterBuy' }).waitFor();
    await expect.poll(() => page.getByRole('banner').getByRole('link').textContent()).toBe('BetterBuy');
    await page.getByLabel('Product name or code').fill('powr bank');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('25 products found: 1–20 shown (page 1 of 2).').waitFor();
    await expectAccessible(page);
    await shot(page, 'search');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.getByText('25 products found: 21–25 shown (page 2 of 2).').waitFor();
    expect(page.url()).toContain('?q=powr%20bank&page=2');
    await page.goBack();
    await page.getByText('25 products found: 1–20 shown (page 1 of 2).').waitFor();
    expect(await page.getByLabel('Product name or code').inputValue()).toBe('powr bank');
    for (const typed of ['powerbank', 'kona 20k', '20k kona']) {
      await page.getByLabel('Product name or code').fill(typed);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Kona Power Bank 20k' }).waitFor();
    }
  });

  it('books at night: keep-the-link with a copy button, and no call asked while the store is closed or the visit far', async () => {
    const page = await openPage(`/events/${EVENT}`);
    await page.getByTestId('slot').filter({ hasText: '9:30 AM HST' }).getByRole('radio').check();
    await page.getByLabel('Your name').fill('Noa Booker');
    await page.getByLabel('Phone', { exact: true }).fill('808-555-0142');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByRole('heading', { name: 'Your appointment' }).waitFor();
    bookingPath = new URL(page.url()).pathname + new URL(page.url()).hash;
    await page.getByRole('heading', { name: 'Keep this page’s link' }).waitFor();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());

    await moveTo(EVENING + 3 * 60_000);
    await page.reload();
    await page.getByText(/has not been picked up|have not picked up your booking yet/).waitFor();
    expect(await page.getByRole('link', { name: /^Call / }).count()).toBe(0);
    await expectAccessible(page);
    await shot(page, 'booking-no-call');
  });

  it('asks for a call when the store is open and the booking soon, as one tel: link', async () => {
    await moveTo(MORNING);
    const page = await openPage(bookingPath);
    const call = page.getByRole('link', { name: 'Call BetterBuy - Aiea: (808) 555-0101' });
    await call.waitFor();
    expect(await call.getAttribute('href')).toBe('tel:8085550101');
    await expectAccessible(page);
    await shot(page, 'booking-call-store');
  });

  it('moves a booking with the keyboard alone and says from when to when', async () => {
    const page = await openPage(bookingPath);
    const press = async (name: string, key = 'Enter') => {
      const target = page.getByRole('button', { name });
      for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++) {
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press(key);
    };
    await press('Change the time');
    const later = page.getByTestId('slot').filter({ hasText: '10:00 AM HST' }).getByRole('radio');
    for (let i = 0; i < 60 && !(await later.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Space');
    expect(await later.isChecked()).toBe(true);
    await press('Move my booking');
    await page.getByText('Moved from 9:30 AM HST to 10:00 AM HST.').waitFor();
    await expect.poll(() => focusedText(page)).toBe('Moved from 9:30 AM HST to 10:00 AM HST.');
    await page.getByText(/If you added it to your calendar, replace it/).waitFor();
  });

  it('leads "you already have a booking" to the booking: the link sent again, the same answer for anyone', async () => {
    const page = await openPage(`/events/${EVENT}`);
    await page.getByTestId('slot').filter({ hasText: '11:00 AM HST' }).getByRole('radio').check();
    await page.getByLabel('Your name').fill('Noa Booker');
    await page.getByLabel('Phone', { exact: true }).fill('(808) 555-0142');
    await page.getByRole('button', { name: 'Book this time' }).click();
    await page.getByText(/You already have a booking for this event with this email or phone/).waitFor();
    const find = page.getByRole('region', { name: 'Find your booking' });
    expect(await find.getByLabel('Phone', { exact: true }).inputValue()).toBe('(808) 555-0142');
    await find.getByRole('button', { name: 'Send me the link again' }).click();
    await find.getByText('Your request is recorded.').waitFor();
    await find.getByText(/does not send emails or text messages yet, so nothing has been sent now/).waitFor();
    await expectAccessible(page);
    await shot(page, 'event-find-booking');
    const kept = await redis.client().lrange(bookingLinkRequestsKey(EVENT), 0, -1);
    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0] ?? '{}')).toMatchObject({ to: { phone: '(808) 555-0142' } });

    // Someone else's contact: the same answer on the page, nothing kept.
    const other = await openPage(`/bookings/${bookingPath.split('/')[2]?.split('#')[0]}`);
    await other.getByText(/This link is missing its end/).waitFor();
    await other.getByRole('heading', { name: 'Lost the link?' }).waitFor();
    await other.getByLabel('Your name').fill('Stranger');
    await other.getByLabel(/^Email/).fill('stranger@example.com');
    await other.getByRole('button', { name: 'Send me the link again' }).click();
    await other.getByText('Your request is recorded.').waitFor();
    await expectAccessible(other);
    expect(await redis.client().llen(bookingLinkRequestsKey(EVENT))).toBe(1);
  });

  it('names the product on a hold, asks no call before it is confirmed, and gives what the counter needs', async () => {
    const page = await openPage('/products/PWR-KONA-2/reserve/aiea');
    await page.getByLabel(/How many/).fill('1');
    await page.getByLabel('Your name').fill('Kaimana Test');
    await page.getByLabel(/^Email/).fill('not-an-email');
    await page.getByRole('button', { name: 'Reserve' }).click();
    // The field's error is announced: focus moves to the field it describes.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('contact-email');
    await page.getByLabel(/^Email/).fill('kaimana@example.com');
    await page.getByRole('button', { name: 'Reserve' }).click();
    await page.getByText('Reserved: please confirm · 1 × Kona Power Bank 20k at BetterBuy - Aiea').waitFor();
    await page.getByText('Price: $59.99 · product code PWR-KONA-2').waitFor();
    expect(await page.getByText(/Sent to the store/).count()).toBe(0);
    await page.getByRole('button', { name: 'Confirm reservation' }).click();
    await page.getByText('Sent to the store.').waitFor();

    const holdId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const tablet = await enrollTablet(server.url, 'aiea');
    const step = (id: string, name: string) =>
      call(server.url, 'POST', `/api/staff/aiea/holds/${id}/${name}`, {
        token: tablet.token,
        idempotencyKey: newKey(),
      });
    expect((await step(holdId, 'pick')).status).toBe(200);
    await page.getByRole('heading', { name: 'Ready for pickup' }).waitFor();
    await page.getByText(/^Pickup reference: [0-9A-Z]{3}-[0-9A-Z]{3}$/).waitFor();
    await expectAccessible(page);
    await shot(page, 'hold-ready');
    expect((await step(holdId, 'hand-over')).status).toBe(200);
    await page.getByText('Collected · 1 × Kona Power Bank 20k at BetterBuy - Aiea').waitFor();
    expect(await page.getByTestId('store-received').count()).toBe(0);

    // A hold the store cancelled says who may have, and how to ask why; one that expired offers to reserve again.
    const made = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: {
        storeId: 'aiea',
        sku: 'PWR-KONA-2',
        quantity: 1,
        customer: { name: 'Ana', email: 'ana@example.com' },
      },
    });
    expect(made.status).toBe(201);
    expect((await step(made.body.id, 'cancel')).status).toBe(200);
    const cancelled = await openPage(`/holds/${made.body.id}#${made.body.manageToken}`);
    await cancelled.getByText(/If you did not cancel it, the store did: call it to ask why/).waitFor();
    await cancelled.getByRole('link', { name: 'Reserve again' }).waitFor();
    await expectAccessible(cancelled);

    const lapsing = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: {
        storeId: 'aiea',
        sku: 'PWR-KONA-2',
        quantity: 1,
        customer: { name: 'Ben', email: 'ben@example.com' },
      },
    });
    await moveTo(clock.now() + server.deps.config.holdTtlMs + 60_000);
    const expired = await openPage(`/holds/${lapsing.body.id}#${lapsing.body.manageToken}`);
    await expired.getByText(/This reservation expired before it was confirmed/).waitFor();
    await expired.getByRole('link', { name: 'Reserve again' }).click();
    await expired.getByRole('heading', { name: /Reserve/ }).waitFor();
    expect(new URL(expired.url()).pathname).toBe('/products/PWR-KONA-2/reserve/aiea');
  }, 90_000);

  it('says plainly that an event does not exist, instead of loading for ever', async () => {
    const page = await openPage('/events/no-such-event');
    await page.getByRole('heading', { name: 'Event not found' }).waitFor();
    await expectAccessible(page);
  });
});
