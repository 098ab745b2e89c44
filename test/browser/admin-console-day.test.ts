/**
 * A head-office admin's day in the console (issue 15 §4, §8, §9), in Chromium set to Los
 * Angeles time against stores in Honolulu: every time on the page is the store's, labelled
 * "HST" (never the browser's PST unlabelled); a tablet gone offline in its browser is shown
 * offline within seconds and every count on the page agrees; a new event's slots open on their
 * first day, one day at a time; the seats editor gives the keyboard its place back; the sign-in
 * page speaks to a person; the CSV preview tells new rows from overwritten counts and echoes a
 * bad value. axe-core on each screen. HOLDFAST_SCREENSHOTS=docs writes docs/admin-day-*.png.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateInZone } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** "9:00 AM HST", "Sat, Dec 19, 12:00 AM HST": a time as the console prints it, in store time. */
const HST_TIME = String.raw`\d{1,2}:\d{2}(:\d{2})? [AP]M HST`;
const HST_DAY_TIME = String.raw`[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, ${HST_TIME}`;

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  webRoot = buildWebApp('admin-day-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 5, name: 'Clear case' },
  ]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 4, name: 'Trade-in kit' }]);
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** A browser in Los Angeles time: the admin's own zone is not the stores'. */
async function browserPage(viewport = DESKTOP): Promise<Page> {
  const browser = await launchTablet({ viewport, timezoneId: 'America/Los_Angeles' });
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function signedIn(hash = ''): Promise<Page> {
  const page = await browserPage();
  await page.goto(`${server.url}/admin/${hash}`);
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Desktop and phone screenshots of the page as it is now. */
async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: join(SCREENSHOTS, `admin-day-${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SCREENSHOTS, `admin-day-${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

describe('an admin’s day in the console, in Los Angeles time', () => {
  it('the sign-in page tells a person where to get access, in words', async () => {
    const page = await browserPage();
    await page.goto(`${server.url}/admin/`);
    await page
      .getByText('No token? Ask the person who runs Holdfast for your company.', { exact: false })
      .waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('npm start');
    expect(text).not.toContain('.data');
    expect(text).not.toContain('ADMIN_TOKEN');
    await expectAccessible(page, 'sign-in page');
    await shot(page, 'sign-in');
  });

  it('a new event’s slots open on their first day, one day at a time, in store time; the seats editor keeps the keyboard’s place', async () => {
    const page = await signedIn('#events');
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Launch week');
    // Beyond the coming week: the list must still open on the slots just made.
    const first = addDays(dateInZone(Date.now(), HNL.timeZone), 9);
    await page.getByLabel('First day').fill(first);
    await page.getByLabel('Days', { exact: true }).fill('2');
    await page.getByLabel('Opens at (store time)').fill('09:00');
    await page.getByLabel('Closes at (store time)').fill('14:00');
    await page.getByRole('button', { name: 'Create event and slots' }).click();
    await page.getByText('Created “Launch week”: 40 slots at 2 stores.').waitFor();

    const day = page.getByLabel('Day', { exact: true });
    await expect.poll(() => day.inputValue()).toBe(first);
    const heading = page.getByRole('heading', { level: 3 });
    await expect
      .poll(() => heading.textContent())
      .toMatch(/^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}: 20 slots$/);
    expect(await page.getByText(/No slots/).count()).toBe(0);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(20);
    // Store time, labelled, though this browser is in Los Angeles: 9:00 AM HST is noon in LA.
    const firstRow = rows.first();
    expect(await firstRow.locator('td').first().textContent()).toBe('9:00 AM HST');
    expect(await firstRow.locator('td[data-label="Status"]').textContent()).toMatch(
      new RegExp(`^Opens ${HST_DAY_TIME.replace(HST_TIME, '12:00 AM HST')}$`),
    );
    expect(await page.locator('main').textContent()).not.toMatch(/PST|\d{1,2}\/\d{1,2}\/\d{4}/);
    await expectAccessible(page, 'events page');
    await shot(page, 'events');

    // The next day, then back; each day lists only its own 20 slots.
    await page.getByRole('button', { name: 'Next day' }).click();
    await expect.poll(() => day.inputValue()).toBe(addDays(first, 1));
    await expect.poll(() => rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Previous day' }).click();
    await expect.poll(() => day.inputValue()).toBe(first);

    // Seats by keyboard: Enter opens the editor in the field, Enter saves, the focus comes back.
    const seatsButton = firstRow.getByRole('button', { name: /^Change seats of / });
    // Polled: until the first day's slots replace the next day's, the row is the old one, and
    // focus put on it is lost when the list re-renders.
    const firstDay = new Date(`${first}T12:00:00Z`).toLocaleDateString('en-US', {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    await expect.poll(() => seatsButton.getAttribute('aria-label')).toContain(`of ${firstDay},`);
    const name = await seatsButton.getAttribute('aria-label');
    expect(name).toMatch(new RegExp(`^Change seats of ${HST_DAY_TIME} at Store (aiea|kapolei)$`));
    await seatsButton.focus();
    await page.keyboard.press('Enter');
    const seats = page.getByRole('spinbutton', { name: /^Seats for/ });
    await expect.poll(() => seats.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .getByText(/now has 12 seats\.$/)
      .waitFor();
    await expect.poll(() => focusedLabel(page)).toBe(name);
    await firstRow.getByText('0 of 12').waitFor();
    // Escape closes the editor without saving, and the focus is back on the same button.
    await page.keyboard.press('Enter');
    await expect.poll(() => seats.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => seats.count()).toBe(0);
    expect(await focusedLabel(page)).toBe(name);
    await expectAccessible(page, 'events page after a seats change');
  }, 120_000);

  it('the CSV preview tells new products from overwritten counts and echoes a bad value', async () => {
    const page = await signedIn('#products');
    await page.getByLabel('Store', { exact: true }).selectOption('aiea');
    const input = page.getByLabel('Products CSV file');
    const file = (lines: string[]) => ({
      name: 'delivery.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['sku,name,category,priceLabel,onHand', ...lines].join('\n')),
    });
    await input.setInputFiles(file(['KIT,Trade-in kit,Kits,$0,ten', 'CASE,Clear case,Cases,$9,5']));
    await page.getByRole('alert').getByText('Nothing was imported. Fix this problem').waitFor();
    expect(await page.getByTestId('import-error').allTextContents()).toEqual([
      "2onHand'ten' is not a whole number",
    ]);
    await expectAccessible(page, 'products page, a bad value');

    await input.setInputFiles(
      file(['KIT,Trade-in kit,Kits,$0,8', 'CASE,Clear case,Cases,$9,5', 'NEW-1,Screen cloth,Care,$3,12']),
    );
    await page
      .getByTestId('import-summary')
      .getByText('At Store aiea: 1 new product, 1 shelf count overwritten, 1 count unchanged.')
      .waitFor();
    expect(await page.getByTestId('import-overwrite').allTextContents()).toEqual(['KITTrade-in kit108']);
    expect(
      await page
        .getByTestId('import-row')
        .evaluateAll((rows) => rows.map((r) => r.lastElementChild?.textContent)),
    ).toEqual(['Overwrites the count: 10 → 8', 'Known; count stays 5', 'New product']);
    await expectAccessible(page, 'products page, a preview');
    await shot(page, 'products-preview');

    await page.getByRole('button', { name: 'Import 3 products into Store aiea' }).click();
    await page.getByText('Imported 3 products into Store aiea: 1 new, 2 updated.').waitFor();
    // Read again after the import: nothing left to overwrite.
    await page
      .getByTestId('import-summary')
      .getByText('At Store aiea: 0 new products, 0 shelf counts overwritten, 3 counts unchanged.')
      .waitFor();
  }, 60_000);

  it('a tablet gone offline in its browser is offline on the page within seconds; counts agree; times are the store’s', async () => {
    const admin = await signedIn('#tablets');
    // The enrollment code's end, in the store's time.
    await admin.getByLabel('Store', { exact: true }).first().selectOption('aiea');
    await admin.getByRole('button', { name: 'Create enrollment code' }).click();
    await admin.getByText(new RegExp(`^Code for Store aiea, works once, until ${HST_DAY_TIME}$`)).waitFor();
    const code = (await admin.getByTestId('enrollment-code').textContent()) ?? '';
    await expectAccessible(admin, 'enrollment code');

    const tabletBrowser = await launchTablet({ viewport: { width: 1024, height: 768 } });
    closers.push(tabletBrowser);
    const tablet = await tabletBrowser.context.newPage();
    tablet.setDefaultTimeout(15_000);
    await tablet.goto(`${server.url}/staff/?code=${encodeURIComponent(code)}`);
    await tablet.getByLabel('Name for this tablet').fill('Front counter');
    await tablet.getByRole('button', { name: 'Enroll tablet' }).click();
    await tablet.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor();

    await admin.getByRole('navigation').getByRole('link', { name: 'Sync status' }).click();
    const store = admin
      .getByTestId('store-sync')
      .filter({ has: admin.getByRole('link', { name: 'Store aiea' }) });
    const row = store.getByTestId('tablet-row');
    await row.getByText(new RegExp(`^Connected since ${HST_TIME} \\(\\d+ s ago\\) on `)).waitFor();
    await row.getByText(new RegExp(`^Last seen ${HST_TIME} \\(\\d+ s ago\\)$`)).waitFor();
    await admin.getByText(/^Tablets connected: 1 now/).waitFor();
    await admin
      .getByText(/^Server .*: version .*, started \d{1,2}:\d{2} [AP]M PST .*, 1 tablet connected$/)
      .waitFor();
    await admin.getByText(/^Updated \d{1,2}:\d{2}:\d{2} [AP]M PST, every 2 s\.$/).waitFor();
    await expectAccessible(admin, 'sync status');

    // The browser goes offline: the app closes its socket, whose close frame never leaves,
    // while Chromium keeps answering the server's pings.
    await tabletBrowser.context.setOffline(true);
    const wentOffline = Date.now();
    await tablet.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await row
      .getByText(new RegExp(`^Offline since ${HST_TIME} \\(\\d+ s ago\\)Last seen`))
      .waitFor({ timeout: 15_000 });
    expect(Date.now() - wentOffline).toBeLessThan(12_000);
    await store.getByText('No tablet connected').first().waitFor();
    // One count on the whole page.
    await admin.getByText(/^Tablets connected: 0 now/).waitFor();
    await admin.getByText(/, 0 tablets connected$/).waitFor();
    await shot(admin, 'sync-offline');

    // The store's page and the tablet's own page, in the store's time.
    await store.getByRole('link', { name: 'Store aiea' }).click();
    await admin.getByText(new RegExp(`^Updated ${HST_TIME}, every 2 s\\.$`)).waitFor();
    await admin.getByTestId('tablet-row').getByRole('link', { name: 'Front counter' }).click();
    await admin.getByRole('heading', { name: /^Front counter/ }).waitFor();
    await admin.getByText(new RegExp(`^${HST_TIME}: disconnected from `)).waitFor();
    await admin.getByText(new RegExp(`^${HST_TIME}: connected to `)).waitFor();
    expect(await admin.locator('main').textContent()).not.toMatch(/PST|\d{1,2}\/\d{1,2}\/\d{4}/);
    await expectAccessible(admin, 'tablet page');
    await shot(admin, 'tablet');
    await tabletBrowser.context.setOffline(false);
  }, 120_000);
});
