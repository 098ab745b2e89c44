import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateInZone } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, HNL, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * The admin's controls (issue 7, sections 3 and 4) in real Chromium against the real server:
 * the staff PWA in one browser, the admin console (/admin/) in another.
 * HOLDFAST_SCREENSHOTS=docs writes the README's screenshots (docs/admin-*.png).
 */

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];
const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;

beforeAll(async () => {
  webRoot = buildWebApp();
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

type PageName = 'tablets' | 'events' | 'products' | 'audit';

/** The console's navigation label of each control page. */
const NAV: Record<PageName, string> = {
  tablets: 'Tablets',
  events: 'Events and slots',
  products: 'Products and stock',
  audit: 'Audit log',
};

/** A control page in a fresh browser: the admin console at /admin/, signed in with the admin token. */
async function openAdmin(name: PageName, width = 1280): Promise<Page> {
  const browser = await launchTablet();
  closers.push(browser);
  const page = await browser.context.newPage();
  // A wait that fails names its locator well before the test's own time runs out.
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${server.url}/admin/`);
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: NAV[name], exact: true }).click();
  return page;
}

/** Desktop and phone (390 px) screenshots of the page as it is now. */
async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: join(SCREENSHOTS, `admin-${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SCREENSHOTS, `admin-${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const stockOf = async (storeId: string, sku: string) => {
  const res = await call(server.url, 'GET', `/api/admin/stores/${storeId}/products?q=${sku}`, {
    token: TEST_ADMIN_TOKEN,
  });
  return res.body.products.find((p: { sku: string }) => p.sku === sku) as {
    onHand: number;
    leased: number;
    available: number;
  };
};

describe('the admin controls in Chromium', () => {
  let staff: Page;

  it('an enrollment code made on the page enrolls a tablet, and the page lists it', async () => {
    const admin = await openAdmin('tablets');
    await admin.getByLabel('Store', { exact: true }).selectOption('aiea');
    await admin.getByRole('button', { name: 'Create enrollment code' }).click();
    const code = (await admin.getByTestId('enrollment-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await expect(
      admin
        .getByRole('img', { name: `QR code that opens the staff app with code ${code} filled in` })
        .count(),
    ).resolves.toBe(1);
    const link = await admin.getByRole('link', { name: /\/staff\/\?code=/ }).getAttribute('href');
    expect(link).toBe(`${server.url}/staff/?code=${code}`);
    await expectAccessible(admin);
    await screenshot(admin, 'tablets');

    const tablet = await launchTablet();
    closers.push(tablet);
    staff = await tablet.context.newPage();
    staff.setDefaultTimeout(15_000);
    await staff.goto(`${server.url}/staff/`);
    await staff.getByLabel('Enrollment code').fill(code);
    await staff.getByLabel('Name for this tablet').fill('Front counter');
    await staff.getByRole('button', { name: 'Enroll tablet' }).click();
    await staff.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor();

    await admin.reload();
    await admin.getByRole('heading', { name: 'Front counter' }).waitFor();
    await admin.getByText('Store aiea · enrolled').first().waitFor();
  });

  it('revoke from the page: the tablet is signed out and its leased units stay out of available (issue 15 §1)', async () => {
    await staff.locator('[data-sku="KIT"]').click();
    await staff.getByRole('spinbutton', { name: 'Keep for offline selling' }).fill('3');
    await staff.getByRole('button', { name: 'Keep', exact: true }).click();
    await staff.getByTestId('lease-left').filter({ hasText: 'keeps 3' }).waitFor();
    expect(await stockOf('aiea', 'KIT')).toMatchObject({ leased: 3, available: 7 });
    const sockets = server.sync.connectionCount();
    expect(sockets).toBeGreaterThan(0);

    const admin = await openAdmin('tablets');
    await admin.getByRole('cell', { name: 'KIT', exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('button', { name: 'Yes, revoke Front counter' }).click();
    await admin.getByText('Revoked “Front counter”: it is signed out').waitFor();
    await admin.getByText('its 3 leased units stay out of available until it reports').waitFor();
    await admin.getByText('With a revoked tablet: 3, unreported.').waitFor();
    expect(await stockOf('aiea', 'KIT')).toMatchObject({ leased: 3, available: 7 });

    // The server closes its socket; the tablet, refused a new one, says it was removed.
    await waitUntil(
      async () => server.sync.connectionCount(),
      (n) => n < sockets,
      10_000,
    );
    await staff
      .getByRole('alert')
      .filter({ hasText: 'This tablet was removed from the store by an admin.' })
      .waitFor();
  });

  it('an event created on the page has slots a customer can book', async () => {
    const admin = await openAdmin('events');
    await admin.getByText('No events yet').waitFor();
    await admin.getByRole('button', { name: 'New event' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('Launch night');
    expect(await admin.getByLabel('Event id (in links)').inputValue()).toBe('launch-night');
    const day = addDays(dateInZone(Date.now(), HNL.timeZone), 1);
    await admin.getByLabel('First day').fill(day);
    await admin.getByLabel('Opens at (store time)').fill('09:00');
    await admin.getByLabel('Closes at (store time)').fill('10:00');
    await admin.getByLabel('Seats per slot').fill('2');
    await admin.getByRole('checkbox', { name: 'Store kapolei' }).uncheck();
    await expectAccessible(admin);
    await admin.getByRole('button', { name: 'Create event and slots' }).click();
    await admin.getByText('Created “Launch night”: 2 slots at 1 store.').waitFor();

    const slots = await call(server.url, 'GET', `/api/events/launch-night/slots?storeId=aiea&date=${day}`);
    expect(slots.body.slots).toHaveLength(2);
    const first = slots.body.slots[0];
    expect(first).toMatchObject({ capacity: 2, remaining: 2 });
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId: first.id, customer: customer('Ana') },
    });
    expect(booked.status).toBe(201);

    // The list opens on the first day of the slots just made.
    await expect.poll(() => admin.getByLabel('Day', { exact: true }).inputValue()).toBe(day);
    // The page may have read the slots before the booking above: picking the store reads them again.
    await admin.getByRole('row').filter({ hasText: '9:00' }).first().waitFor();
    await admin.getByLabel('Store', { exact: true }).selectOption('aiea');
    await expect.poll(() => admin.getByLabel('Day', { exact: true }).inputValue()).toBe(day);
    const row = admin.getByRole('row').filter({ hasText: '9:00' });
    await row.getByText('1 of 2').waitFor();
    await row.getByRole('button', { name: /^Bookings of/ }).click();
    await admin.getByText('Customer Ana').waitFor();
    await row.getByRole('button', { name: /^Close / }).click();
    await admin.getByText(/is closed to new bookings; its 1 booking stays/).waitFor();
    const refused = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId: first.id, customer: customer('Ben') },
    });
    expect(refused.body.code).toBe('SLOT_CLOSED');
    await row.getByRole('button', { name: /^Change seats of/ }).click();
    await admin.getByRole('spinbutton', { name: /^Seats for/ }).fill('0');
    await admin.getByRole('button', { name: 'Save seats' }).click();
    // The browser's own min (seats booked) stops it first; the server would refuse too.
    expect(
      await admin
        .getByRole('spinbutton', { name: /^Seats for/ })
        .evaluate((i: HTMLInputElement) => i.validity.rangeUnderflow),
    ).toBe(true);
    await admin.getByRole('button', { name: 'Cancel' }).click();
    await expectAccessible(admin);
    await screenshot(admin, 'events');
  });

  it('turns on a waiting room for an event’s release, with its rate and ticket lifetime, and makes it follow the booking rate', async () => {
    const admin = await openAdmin('events');
    const section = admin.getByRole('region', { name: 'Waiting room' });
    await section.getByText('Off: customers book directly.').waitFor();
    await section.getByLabel('Customers let in per minute').fill('120');
    await section.getByLabel('Turn lasts (minutes)').fill('5');
    // An opening in the past guards every slot of the event (slots opening at or after it).
    await section.getByLabel(/^Opens at/).fill('2020-01-01T00:00');
    await section.getByRole('checkbox', { name: /^Waiting room on/ }).check();
    await section.getByRole('button', { name: 'Save waiting room' }).click();
    await section.getByText('The waiting room is on.').waitFor();
    await section.getByText(/^On: opens .*0 waiting, 0 let in/).waitFor();
    const room = await call(server.url, 'GET', '/api/admin/events/launch-night/waiting-room', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(room.body).toMatchObject({ enabled: true, admissionsPerMinute: 120, ticketMinutes: 5 });
    const refused = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: {
        slotId: (await call(server.url, 'GET', '/api/events/launch-night/slots')).body.slots[1].id,
        customer: customer('Cy'),
      },
    });
    expect(refused.body.code).toBe('WAITING_ROOM_TICKET_REQUIRED');
    // A request through a proxy this server does not trust: the section says what that breaks.
    await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('proxied'),
      headers: { 'x-forwarded-for': '203.0.113.9' },
      body: {},
    });
    await section.getByText(/through a proxy, but TRUST_PROXY is off/).waitFor();
    await expectAccessible(admin);

    // Following the booking rate: at most 40 customers booking at once, still at most 120 a minute.
    await section.getByRole('checkbox', { name: /^Follow the booking rate/ }).check();
    await section.getByLabel('Customers booking at once, at most').fill('40');
    await section.getByLabel('At most let in per minute').waitFor();
    await section.getByRole('button', { name: 'Save waiting room' }).click();
    await section.getByText(/Following bookings: 0 of at most 40 let in and not booked yet/).waitFor();
    const following = await call(server.url, 'GET', '/api/admin/events/launch-night/waiting-room', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(following.body).toMatchObject({ activeLimit: 40, admissionsPerMinute: 120, active: 0 });
    await expectAccessible(admin);
    await screenshot(admin, 'events-waiting-room');
    await section.getByRole('checkbox', { name: /^Follow the booking rate/ }).uncheck();
    await section.getByRole('checkbox', { name: /^Waiting room on/ }).uncheck();
    await section.getByRole('button', { name: 'Save waiting room' }).click();
    await section.getByText('The waiting room is off.').waitFor();
  });

  it('a CSV of 1,000 rows with 3 bad rows shows the 3 problems; fixed, it imports once', async () => {
    const admin = await openAdmin('products');
    const rows = (bad: boolean) => {
      const lines = ['sku,name,category,priceLabel,onHand'];
      for (let i = 0; i < 1000; i++) {
        if (bad && i === 10) lines.push('P10,,Cables,$1,4');
        else if (bad && i === 500) lines.push('P500,Cable 500,Cables,$1,four');
        else if (bad && i === 998) lines.push('P1,Duplicate,Cables,$1,1');
        else lines.push(`P${i},Cable ${i},Cables,$${i}.00,${i % 13}`);
      }
      return Buffer.from(lines.join('\n'));
    };
    const input = admin.getByLabel('Products CSV file');
    await admin.getByLabel('Store', { exact: true }).selectOption('kapolei');
    await input.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: rows(true) });
    await admin.getByText('Nothing was imported. Fix these 3 problems').waitFor();
    expect(await admin.getByTestId('import-error').allTextContents()).toEqual([
      '12nameis empty',
      "502onHand'four' is not a whole number",
      '1000skuP1 is already on line 3',
    ]);
    expect(await admin.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    await expectAccessible(admin);
    await screenshot(admin, 'products-errors');

    const importsBefore = (
      await call(server.url, 'GET', '/api/admin/audit?storeId=kapolei&type=catalog.imported', {
        token: TEST_ADMIN_TOKEN,
      })
    ).body.entries.length;
    await input.setInputFiles({ name: 'products-fixed.csv', mimeType: 'text/csv', buffer: rows(false) });
    await admin.getByRole('button', { name: 'Import 1,000 products into Store kapolei' }).click();
    await admin.getByText('Imported 1,000 products into Store kapolei: 1,000 new, 0 updated.').waitFor();
    await admin.getByRole('heading', { name: 'Products at Store kapolei (1,001)' }).waitFor();
    await screenshot(admin, 'products');

    await input.setInputFiles({
      name: 'products-fixed-again.csv',
      mimeType: 'text/csv',
      buffer: rows(false),
    });
    await admin.getByRole('button', { name: 'Import 1,000 products into Store kapolei' }).click();
    await admin.getByText('This file was already imported into Store kapolei: nothing changed.').waitFor();
    const imports = await call(server.url, 'GET', '/api/admin/audit?storeId=kapolei&type=catalog.imported', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(imports.body.entries.length - importsBefore).toBe(2);
    expect(await stockOf('kapolei', 'P12')).toMatchObject({ onHand: 12 });
  });

  it('imports 10,000 rows in chunks with a progress bar', async () => {
    const admin = await openAdmin('products');
    const lines = ['sku,name,category,priceLabel,onHand'];
    for (let i = 0; i < 10_000; i++) lines.push(`BIG-${i},Bulk item ${i},Bulk,$1,${i % 7}`);
    await admin.getByLabel('Store', { exact: true }).selectOption('aiea');
    await admin.getByLabel('Products CSV file').setInputFiles({
      name: 'bulk.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    const started = Date.now();
    await admin.getByRole('button', { name: 'Import 10,000 products into Store aiea' }).click();
    const bar = admin.getByRole('progressbar', { name: /^Imported [\d,]+ of 10,000 rows/ });
    await bar.waitFor();
    expect(await bar.getAttribute('max')).toBe('10000');
    await admin
      .getByText('Imported 10,000 products into Store aiea: 10,000 new, 0 updated.')
      .waitFor({ timeout: 60_000 });
    console.info(`10,000-row import through the page: ${Date.now() - started} ms`);
    expect(await stockOf('aiea', 'BIG-9999')).toMatchObject({ onHand: 9999 % 7 });
  }, 90_000);

  // The audit page has its own test: test/browser/admin-audit.test.ts.

  it('sets a product’s units per hold and held at once on the page, and the API refuses holds above them', async () => {
    const admin = await openAdmin('products');
    await admin.getByLabel('Store', { exact: true }).selectOption('aiea');
    await admin.getByLabel('Search').fill('KIT');
    const toggle = admin.getByRole('button', { name: 'Limits of KIT' });
    await toggle.click();
    const form = admin.getByRole('form', { name: 'Limits of Trade-in kit (KIT)' });
    await form
      .getByText('Now: up to 20 units per hold (the default), no cap on units held at once.')
      .waitFor();
    // Opened from the keyboard or not, typing goes straight into the first field.
    await waitUntil(
      async () => admin.evaluate(() => document.activeElement?.closest('label')?.textContent),
      (label) => label === 'Units per hold',
    );
    const perHold = form.getByLabel('Units per hold', { exact: true });
    const atOnce = form.getByLabel(/^Units held at once/);

    await perHold.fill('0');
    await atOnce.fill('2');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Enter a whole number from 1 to 20.').waitFor();
    expect(await perHold.getAttribute('aria-invalid')).toBe('true');
    await perHold.fill('3');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form.getByText('Must be at least the units per hold, or empty.').waitFor();

    // A request that never reaches the server is told as such, and nothing typed is lost.
    await admin.route('**/api/admin/products/KIT/hold-limit', (route) => route.abort());
    await perHold.fill('1');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'Not saved: No connection to the server. Check the network and try again.' })
      .waitFor();
    await admin.unroute('**/api/admin/products/KIT/hold-limit');
    await form.getByRole('button', { name: 'Save limits' }).click();
    await form
      .getByText('Saved: KIT allows up to 1 unit per hold, 2 units held at once over every store.')
      .waitFor();
    await form.getByText('Now: up to 1 unit per hold, 2 units held at once over every store.').waitFor();
    await expectAccessible(admin);
    await screenshot(admin, 'products-limits');

    const limit = await call(server.url, 'GET', '/api/products/KIT/hold-limit');
    expect(limit.body).toEqual({ sku: 'KIT', maxPerHold: 1, isDefault: false, maxHeldAtOnce: 2 });
    const hold = (storeId: string, quantity: number) =>
      call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey('hold'),
        body: { storeId, sku: 'KIT', quantity, customer: customer('Kai') },
      });
    const tooMany = await hold('aiea', 2);
    expect([tooMany.status, tooMany.body.code, tooMany.body.details]).toEqual([
      409,
      'HOLD_LIMIT_REACHED',
      { maxPerHold: 1 },
    ]);
    expect((await hold('aiea', 1)).status).toBe(201);
    expect((await hold('kapolei', 1)).status).toBe(201);
    const third = await hold('aiea', 1);
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({
      code: 'HOLD_LIMIT_REACHED',
      details: { maxHeldAtOnce: 2, heldNow: 2 },
    });

    // Closed from the keyboard, focus returns to the row's button.
    await form.getByRole('button', { name: 'Close' }).press('Enter');
    await waitUntil(
      async () => admin.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      (label) => label === 'Limits of KIT',
    );
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('sets an event’s bookings per customer on the page, and the API answers the new number', async () => {
    const admin = await openAdmin('events');
    const section = admin.getByRole('region', { name: 'Bookings per customer' });
    await section.getByText('Now: one booking per customer').waitFor();
    const input = section.getByLabel('Bookings one customer may hold');
    expect(await input.inputValue()).toBe('1');
    await input.fill('21');
    await section.getByRole('button', { name: 'Save bookings per customer' }).click();
    await section.getByText('Enter a whole number from 1 to 20.').waitFor();
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    await input.fill('3');
    await input.press('Enter');
    await section
      .getByText('Saved: up to 3 bookings per customer for “Launch night”. Bookings already made stay.')
      .waitFor();
    await section.getByText('Now: up to 3 bookings per customer').waitFor();
    const events = await call(server.url, 'GET', '/api/events');
    expect(events.body.events).toContainEqual({
      id: 'launch-night',
      name: 'Launch night',
      perCustomerLimit: 3,
    });
    await expectAccessible(admin);
    await screenshot(admin, 'events-limits');

    // The page reads the saved number back after a reload.
    await admin.reload();
    await admin
      .getByRole('region', { name: 'Bookings per customer' })
      .getByText('Now: up to 3 bookings')
      .waitFor();
  });
});
