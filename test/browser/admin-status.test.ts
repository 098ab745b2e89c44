/**
 * The admin console's sync-status page in Chromium beside the real staff app in another browser
 * (issue 7, section 4): a tablet vanishes and shows offline within 10 s; it sells twice offline
 * and comes back: 2 pending, then in sync; a refused action appears with its reason; the store's
 * and the tablet's drill-downs. axe-core on each page.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';
import { type Wifi, wifi } from '../helpers/wifi.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
// Lets context.route see the staff app's requests that pass through its service worker.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
/** Short, so a confirmed hold nobody acknowledges is late within the test. */
const ACK_TIMEOUT_MS = 1_000;
let redis: TestRedis;
let server: TestServer;
const closers: { close(): Promise<void> | void }[] = [];

beforeAll(async () => {
  const webRoot = buildWebApp('admin-status-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, { storeAckTimeoutMs: ACK_TIMEOUT_MS }, { webRoot });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 5, name: 'Clear case' },
  ]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 4, name: 'Trade-in kit' }]);
}, 120_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
});

async function shot(page: Page, name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signedInAdmin(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const browser = await launchTablet({ viewport });
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/admin/`);
  await page.getByLabel('Admin token').fill('not the token at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('That admin token is not valid').waitFor();
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Sync status' }).waitFor();
  return page;
}

/** The real staff app, enrolled at aiea, reaching the server through `link`. */
async function staffTablet(name: string, link: Wifi): Promise<{ context: BrowserContext; page: Page }> {
  const browser = await launchTablet({ viewport: { width: 1024, height: 768 } });
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
    token: TEST_ADMIN_TOKEN,
  });
  await page.goto(`${link.url}/staff/`);
  await page.getByLabel('Enrollment code').fill(code.body.code);
  await page.getByLabel('Name for this tablet').fill(name);
  await page.getByRole('button', { name: 'Enroll tablet' }).click();
  await page.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  return { context: browser.context, page };
}

async function sell(page: Page, amount: number) {
  await page.getByRole('radio', { name: 'Sell', exact: true }).check();
  await page.getByTestId('stock-amount').fill(String(amount));
  await page.getByRole('form', { name: 'Change stock' }).getByRole('button', { name: 'Save' }).click();
}

/** A tablet's row on the sync-status page, found by the link that opens its own page. */
const row = (page: Page, name: string) =>
  page.getByTestId('tablet-row').filter({ has: page.getByRole('link', { name, exact: true }) });

describe('the sync-status page', () => {
  it('shows a vanished tablet offline within 10 s, its 2 offline sales pending when it is back, then in sync', async () => {
    const admin = await signedInAdmin();
    await expect
      .poll(() => admin.getByTestId('store-sync').first().textContent())
      .toContain('No tablet connected');
    const link = await wifi(server.url);
    closers.push(link);
    const { context, page: tablet } = await staffTablet('Front counter', link);
    await row(admin, 'Front counter').getByText('In sync').waitFor({ timeout: 5_000 });
    await row(admin, 'Front counter')
      .getByText(/Connected since/)
      .waitFor();

    await tablet.locator('[data-sku="KIT"]').click();
    await tablet.getByRole('spinbutton', { name: 'Keep for offline selling' }).fill('3');
    await tablet.getByRole('button', { name: 'Keep', exact: true }).click();
    await tablet.getByTestId('lease-left').filter({ hasText: 'keeps 3' }).waitFor();
    await row(admin, 'Front counter').getByText('3 × KIT').waitFor();
    // The charts say in words what they draw (their counts are checked in the API test).
    await admin.getByText(/Tablets connected: \d+ now/).waitFor();
    await expectAccessible(admin, 'sync status');

    // The Wi-Fi dies: no close frame, no answer to pings.
    link.cut();
    const vanished = Date.now();
    await context.setOffline(true);
    await row(admin, 'Front counter')
      .getByText(/Offline since/)
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - vanished).toBeLessThan(10_000);
    await expect.poll(() => row(admin, 'Front counter').locator('.verdict').textContent()).toBe('Offline');

    for (let i = 0; i < 2; i++) {
      await sell(tablet, 1);
      await tablet
        .getByTestId('stock-message')
        .filter({ hasText: 'Offline: saved on this tablet' })
        .waitFor();
    }
    await tablet.getByTestId('pending-count').filter({ hasText: '2 pending' }).waitFor();

    // Back online, on a slow network: the sales wait until the page has seen them pending.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // (A sale inside the kept units reaches the server as a lease report.)
    await context.route(/\/api\/staff\/aiea\/(stock|leases)\//, async (route) => {
      await released;
      await route.continue();
    });
    link.restore();
    await context.setOffline(false);
    await row(admin, 'Front counter')
      .getByText(/^2 pending, oldest \d+ s$/)
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => row(admin, 'Front counter').locator('.verdict').textContent()).toBe('Behind');
    await shot(admin, 'admin-sync-status-behind');
    release();
    await tablet.getByTestId('pending-count').filter({ hasText: '0 pending' }).waitFor({ timeout: 20_000 });
    await row(admin, 'Front counter').getByText('0 pending').waitFor();
    await expect.poll(() => row(admin, 'Front counter').locator('.verdict').textContent()).toBe('In sync');
    await row(admin, 'Front counter').getByText('1 × KIT').waitFor();

    // The tablet's own page: the disconnect and the return, as the servers saw them.
    await row(admin, 'Front counter').getByRole('link', { name: 'Front counter' }).click();
    await admin.getByRole('heading', { name: /^Front counter/ }).waitFor();
    await admin
      .getByText(/disconnected from/)
      .first()
      .waitFor();
    await admin.getByText('The server has refused nothing this tablet sent.').waitFor();
    await expectAccessible(admin, 'tablet page');
    await admin.goBack();
    await admin.getByRole('heading', { name: 'Sync status' }).waitFor();
  }, 180_000);

  it('shows an action the server refused with its reason, on the page and on the tablet’s own page', async () => {
    const admin = await signedInAdmin();
    const link = await wifi(server.url);
    closers.push(link);
    const { context, page: tablet } = await staffTablet('Back office', link);
    const hold = (
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'CASE', quantity: 1, customer: customer('Lee') },
      })
    ).body;
    await tablet.getByRole('button', { name: /^Pickups/ }).click();
    const card = tablet.getByTestId('pickup').filter({ hasText: 'Customer Lee' });
    await card.waitFor();
    // Offline, staff accept the hold; meanwhile the customer cancels it.
    await context.setOffline(true);
    await tablet.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await card.getByRole('button', { name: 'Accept' }).click();
    await call(server.url, 'DELETE', `/api/holds/${hold.id}`, {
      token: hold.manageToken,
      idempotencyKey: newKey(),
    });
    await context.setOffline(false);
    await tablet.getByTestId('failed-count').filter({ hasText: '1 failed' }).waitFor({ timeout: 20_000 });

    const r = row(admin, 'Back office');
    await r.getByText(/Accept: 1 × CASE for Customer Lee: .+/).waitFor();
    await expect.poll(() => r.locator('.verdict').textContent()).toBe('Needs attention');
    await r.getByText('1 refused action').waitFor();
    await shot(admin, 'admin-sync-status');
    await r.getByRole('link', { name: 'Back office' }).click();
    await admin.getByRole('heading', { name: 'Refused actions (1)' }).waitFor();
    await admin.getByText(/Accept: 1 × CASE for Customer Lee: .+/).waitFor();
    await expectAccessible(admin, 'tablet page with a refusal');
    await shot(admin, 'admin-tablet');
  }, 120_000);

  it('opens a store’s page: its late holds with the phone customers are told to call, and no tablet connected', async () => {
    const held = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'kapolei', sku: 'KIT', quantity: 2, customer: customer('Kim') },
    });
    expect(held.status).toBe(201);
    const confirmed = await call(server.url, 'POST', `/api/holds/${held.body.id}/confirm`, {
      token: held.body.manageToken,
      idempotencyKey: newKey(),
    });
    expect(confirmed.status).toBe(200);

    const admin = await signedInAdmin({ width: 390, height: 844 });
    await admin.getByRole('link', { name: 'Store kapolei' }).click();
    await admin.getByRole('heading', { name: /^Store kapolei/ }).waitFor();
    await admin
      .getByRole('heading', { name: 'Holds and bookings not acknowledged by the store (1)' })
      .waitFor({ timeout: 10_000 });
    await admin.getByText(/Hold: 2 × KIT for Customer Kim, made .+ HST/).waitFor();
    await admin.getByText(/told .* to call 808-/).waitFor();
    await admin.getByText('No tablet is enrolled in this store.').waitFor();
    await admin.getByText('No count has found fewer units than were promised.').waitFor();
    expect(admin.url()).toContain('#store/kapolei');
    await expectAccessible(admin, 'store page');
    await shot(admin, 'admin-store-phone');

    // The address is the page: a reload opens it again.
    await admin.reload();
    await admin.getByRole('heading', { name: /^Store kapolei/ }).waitFor();
    await admin.getByRole('link', { name: '← All stores' }).click();
    await admin.getByRole('heading', { name: 'Sync status' }).waitFor();

    // Sign out: the session ends, and the console asks to sign in again.
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByLabel('Admin token').waitFor();
    expect(await admin.evaluate(async () => (await fetch('/api/admin/sync-overview')).status)).toBe(401);
  }, 120_000);
});
