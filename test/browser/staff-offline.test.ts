import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTablet } from '../helpers/browser.ts';
import { seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * The staff PWA in real Chromium against the real server and Redis (issue 3, "What shows
 * it works"): enroll, go offline, work, reload offline, come back, and check the server.
 */

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const tablets: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 5, name: 'Clear case' },
  ]);
  await seedStore(server.url, 'kapolei', [{ sku: 'KIT', onHand: 1 }]);
}, 120_000);
afterAll(async () => {
  for (const t of tablets) await t.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

async function enrolledTablet(
  storeId = 'aiea',
  name = 'Counter',
): Promise<{ context: BrowserContext; page: Page }> {
  const tablet = await launchTablet();
  tablets.push(tablet);
  const page = await tablet.context.newPage();
  const code = await call(server.url, 'POST', `/api/admin/stores/${storeId}/enrollments`, {
    token: TEST_ADMIN_TOKEN,
  });
  await page.goto(`${server.url}/staff/`);
  await page.getByLabel('Enrollment code').fill(code.body.code);
  await page.getByLabel('Name for this tablet').fill(name);
  await page.getByRole('button', { name: 'Enroll tablet' }).click();
  await page.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor();
  await page.locator('[data-sku="KIT"]').waitFor();
  // The service worker controls the page once installed (clientsClaim): offline reloads need it.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  return { context: tablet.context, page };
}

const pending = (page: Page) => page.getByTestId('pending-count').textContent();

async function stockAction(page: Page, action: 'Sell' | 'Receive' | 'Count' | 'Write off', amount: number) {
  await page.getByRole('radio', { name: action, exact: true }).check();
  await page.getByTestId('stock-amount').fill(String(amount));
  await page.getByRole('form', { name: 'Change stock' }).getByRole('button', { name: 'Save' }).click();
  return page.getByTestId('stock-message').textContent();
}

describe('the staff tablet, offline', () => {
  it('works offline within its lease, survives a reload, and every action reaches the server once', async () => {
    const { context, page } = await enrolledTablet();
    await page.locator('[data-sku="KIT"]').click();
    await page.getByRole('spinbutton', { name: 'Keep for offline selling' }).fill('3');
    await page.getByRole('button', { name: 'Keep', exact: true }).click();
    await page.getByTestId('lease-left').filter({ hasText: 'keeps 3' }).waitFor();

    await context.setOffline(true);
    await page.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await page.getByTestId('lease-left').filter({ hasText: 'may sell 3 more' }).waitFor();

    await page.getByLabel('Shelf location').fill('B-7');
    await page.getByRole('button', { name: 'Save details' }).click();
    expect(await stockAction(page, 'Receive', 4)).toMatch(/Offline: saved on this tablet/);
    expect(await stockAction(page, 'Sell', 2)).toMatch(/Offline: saved on this tablet/);
    expect(await stockAction(page, 'Sell', 2)).toMatch(/may sell only 1 more unit/);
    // The shelf edit waits to sync too (issue 15 §7): 2 actions and 1 edit.
    await expect.poll(() => pending(page)).toBe('3 pending');

    await page.reload();
    await page.getByTestId('pending-count').filter({ hasText: '3 pending' }).waitFor();
    await page.locator('[data-sku="KIT"]').click();
    await expect.poll(() => page.getByLabel('Shelf location').inputValue()).toBe('B-7');
    await page.getByTestId('lease-left').filter({ hasText: 'may sell 1 more' }).waitFor();

    await context.setOffline(false);
    await page.getByTestId('pending-count').filter({ hasText: '0 pending' }).waitFor({ timeout: 20_000 });

    // On the server: 10 + 4 received - 2 sold offline; 1 unit still leased; each action once.
    const stock = await waitUntil(
      async () =>
        (await call(server.url, 'GET', '/api/admin/stores/aiea/products?q=KIT', { token: TEST_ADMIN_TOKEN }))
          .body.products[0],
      (kit) => kit.onHand === 12,
    );
    expect(stock).toMatchObject({ onHand: 12, leased: 1 });
    const audit = (await call(server.url, 'GET', '/api/admin/stores/aiea/audit', { token: TEST_ADMIN_TOKEN }))
      .body.entries as {
      type: string;
    }[];
    expect(audit.filter((e) => e.type === 'stock.receive')).toHaveLength(1);
    expect(audit.filter((e) => e.type === 'lease.sale')).toHaveLength(1);
    const doc = server.sync.documentOf('aiea')?.doc;
    await waitUntil(
      async () => doc?.getMap<import('yjs').Map<string>>('products').get('KIT')?.get('shelf'),
      (shelf) => shelf === 'B-7',
    );
  }, 120_000);

  it('two tablets that edit the same product offline converge when both reconnect', async () => {
    const a = await enrolledTablet('aiea', 'A');
    const b = await enrolledTablet('aiea', 'B');
    for (const t of [a, b]) {
      await t.page.locator('[data-sku="CASE"]').click();
      await t.context.setOffline(true);
      await t.page.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    }
    await a.page.getByLabel('Shelf location').fill('C-3');
    await a.page.getByRole('button', { name: 'Save details' }).click();
    await b.page.getByLabel('Staff notes').fill('Fragile packaging');
    await b.page.getByRole('button', { name: 'Save details' }).click();
    for (const t of [a, b]) await t.context.setOffline(false);
    for (const t of [a, b]) {
      await t.page.getByRole('button', { name: '← All products' }).click();
      await t.page.locator('[data-sku="CASE"]').click();
      await expect
        .poll(() => t.page.getByLabel('Shelf location').inputValue(), { timeout: 15_000 })
        .toBe('C-3');
      await expect
        .poll(() => t.page.getByLabel('Staff notes').inputValue(), { timeout: 15_000 })
        .toBe('Fragile packaging');
    }
  }, 120_000);

  it('a tablet of another store cannot open this store’s document', async () => {
    const { page } = await enrolledTablet('kapolei', 'Kapolei counter');
    const outcome = await page.evaluate(async () => {
      const enrollment = await new Promise<{ credential: string }>((resolve, reject) => {
        const open = indexedDB.open('holdfast-tablet');
        open.onsuccess = () => {
          const get = open.result.transaction('enrollment').objectStore('enrollment').get('self');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
        open.onerror = () => reject(open.error);
      });
      // Its own store's one-time ticket, offered to another store's document.
      const res = await fetch('/api/staff/kapolei/sync-ticket', {
        method: 'POST',
        headers: { authorization: `Bearer ${enrollment.credential}` },
      });
      if (!res.ok) return `no ticket: ${res.status}`;
      const { ticket } = (await res.json()) as { ticket: string };
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/sync/aiea?ticket=${ticket}`);
        ws.onopen = () => resolve('opened');
        ws.onerror = () => resolve('refused');
      });
    });
    expect(outcome).toBe('refused');
  }, 60_000);
});
