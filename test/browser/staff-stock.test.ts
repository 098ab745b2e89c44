import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { enrollTabletInBrowser, type OpenTablet, staffShot } from '../helpers/staff-browser.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * Issue 15 §3, §7 and §9 on the tablet, at 1024x768, by what is on screen: counts that
 * cannot go wrong silently, a product page with its SKU, a search that survives the product
 * page, a receive that cannot be repeated by a second tap, and what the tablet says about
 * offline work (pending edits, "synced ... ago", the allowance's end) being true.
 */

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const tablets: OpenTablet[] = [];

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 22, name: 'Clear case' },
    { sku: 'CABLE', onHand: 8, name: 'USB cable' },
  ]);
}, 120_000);
afterAll(async () => {
  for (const t of tablets) await t.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

/** A tablet; with `clock`, its page runs on Playwright's clock from now (moved by fastForward). */
async function openTablet(clock = false): Promise<OpenTablet> {
  const tablet = await enrollTabletInBrowser(server.url, {
    firstProduct: 'Trade-in kit',
    ...(clock ? { clockAt: Date.now() } : {}),
  });
  tablets.push(tablet);
  return tablet;
}

const product = async (sku: string) =>
  (await call(server.url, 'GET', `/api/admin/stores/aiea/products?q=${sku}`, { token: TEST_ADMIN_TOKEN }))
    .body.products[0] as { onHand: number; held: number };

const save = (page: Page) =>
  page.getByRole('form', { name: 'Change stock' }).getByRole('button', { name: 'Save' }).click();
const message = (page: Page) => page.getByTestId('stock-message').textContent();

describe('counts and stock changes (issue 15 §3, §9)', () => {
  it('keeps the search, shows the SKU, clears Units after a receive, and counts with a reason and a confirmed drop', async () => {
    const { page } = await openTablet();
    const search = page.getByRole('searchbox', { name: 'Search products' });
    await search.fill('clear');
    await page.getByRole('button', { name: /Clear case/ }).click();
    await expect.poll(() => page.getByTestId('product-sku').textContent()).toBe('SKU CASE');
    await page.getByRole('button', { name: '← All products' }).click();
    expect(await search.inputValue()).toBe('clear');
    await expect.poll(() => page.getByRole('list', { name: 'Products' }).getByRole('button').count()).toBe(1);
    await page.getByRole('button', { name: /Clear case/ }).click();

    // Receive 3: done, and Units is empty, so a second tap on Save receives nothing.
    await page.getByRole('radio', { name: 'Receive', exact: true }).check();
    await page.getByTestId('stock-amount').fill('3');
    await save(page);
    await expect.poll(() => message(page)).toBe('Received 3. The server confirmed it.');
    expect(await page.getByTestId('stock-amount').inputValue()).toBe('');
    await save(page);
    await expect.poll(() => message(page)).toBe('Enter a whole number of at least 1.');
    expect((await product('CASE')).onHand).toBe(25);
    await expect.poll(() => page.getByTestId('on-hand').textContent()).toBe('25');

    // Count: empty, beside what is expected; a different number asks why.
    await page.getByRole('radio', { name: 'Count', exact: true }).check();
    expect(await page.getByLabel('Units on the shelf').inputValue()).toBe('');
    expect(await page.getByTestId('count-expected').textContent()).toBe('Expected on the shelf: 25');
    await save(page);
    await expect.poll(() => message(page)).toBe('Enter the number of units on the shelf (0 or more).');
    await page.getByLabel('Units on the shelf').fill('23');
    await page.getByRole('group', { name: 'Why is it 2 fewer than expected (25)?' }).waitFor();
    await save(page);
    await expect.poll(() => message(page)).toBe('Choose why the count differs: 2 fewer than expected (25).');
    await page.getByRole('radio', { name: 'Damaged' }).check();
    await expectAccessible(page, 'count with a reason');
    await staffShot(page, 'staff-count-reason-1024', page.getByTestId('count-reason'));
    await save(page);
    await expect
      .poll(() => message(page))
      .toBe('Count of 23 recorded: 2 fewer than expected (25). The server confirmed it.');
    expect(await page.getByLabel('Units on the shelf').inputValue()).toBe('');

    // 20 held for a customer, then a count of 5: a large drop is confirmed first.
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('hold'),
      body: { storeId: 'aiea', sku: 'CASE', quantity: 20, customer: customer('Lani') },
    });
    expect(hold.status).toBe(201);
    await page.getByLabel('Units on the shelf').fill('5');
    await page.getByRole('radio', { name: 'Theft or loss' }).check();
    await save(page);
    const confirm = page.getByRole('group', { name: 'Record 5 on the shelf?' });
    await expect.poll(() => confirm.textContent()).toContain('That is 18 fewer than expected (23).');
    await expectAccessible(page, 'large drop confirmed');
    await staffShot(page, 'staff-count-confirm-1024', confirm);
    await confirm.getByRole('button', { name: 'Count again' }).click();
    expect(await confirm.count()).toBe(0);
    expect((await product('CASE')).onHand).toBe(23);
    await save(page);
    await confirm.getByRole('button', { name: 'Yes, record 5' }).click();
    await expect
      .poll(() => message(page))
      .toBe('Count of 5 recorded: 18 fewer than expected (23). The server confirmed it.');
    // 20 held, 5 on the shelf: the shortfall is flagged to staff and on the store's page.
    await page.getByRole('alert').filter({ hasText: 'Short by 15' }).waitFor({ timeout: 10_000 });
    const storePage = await call(server.url, 'GET', '/api/admin/sync/stores/aiea', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(storePage.body.shortfalls).toEqual([{ sku: 'CASE', units: 15 }]);
    const audit = await call(server.url, 'GET', '/api/admin/stores/aiea/audit?type=stock.count', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(
      (audit.body.entries as { type: string; data: { reason: string; counted: number } }[])
        .filter((e) => e.type === 'stock.count')
        .map((e) => [e.data.counted, e.data.reason]),
    ).toEqual([
      [5, 'Theft or loss'],
      [23, 'Damaged'],
    ]);
  }, 180_000);
});

describe('what the tablet says about offline work is true (issue 15 §7, issue 22 §2)', () => {
  it('counts an offline edit as pending until synced, says how long ago it synced, and names one allowance end', async () => {
    const { context, page } = await openTablet(true);
    await page.getByRole('button', { name: /USB cable/ }).click();
    await page.getByRole('spinbutton', { name: 'Keep for offline selling' }).fill('2');
    await page.getByRole('button', { name: 'Keep', exact: true }).click();
    await page.getByText('Kept 2 on this tablet for offline selling.').waitFor();
    const onlineEnd = /until (\d+:\d\d [AP]M HST)/.exec(
      (await page.getByTestId('lease-left').textContent()) ?? '',
    )?.[1];
    expect(onlineEnd).toBeDefined();
    expect(await page.getByRole('heading', { name: /Needs your attention/ }).count()).toBe(0);

    // The page runs on Playwright's clock, so half a minute offline passes at once.
    await context.setOffline(true);
    await page.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await expect
      .poll(() => page.getByTestId('lease-left').textContent())
      .toBe(`Offline: this tablet may sell 2 more (until ${onlineEnd}).`);
    await page.clock.fastForward(35_000);
    const secondsIn = (text: string | null, pattern: RegExp) => Number(pattern.exec(text ?? '')?.[1]);
    await expect
      .poll(async () =>
        secondsIn(await page.getByTestId('last-synced').textContent(), /^synced (\d+) s ago$/),
      )
      .toBeGreaterThanOrEqual(30);
    const header = secondsIn(await page.getByTestId('last-synced').textContent(), /(\d+) s ago/);
    const asOf = secondsIn(
      await page.getByTestId('as-of').textContent(),
      /as of (\d+) s ago, when this tablet/,
    );
    expect(Math.abs(header - asOf)).toBeLessThanOrEqual(5);

    // An offline sale says it is saved here from the first moment, never "waiting for the server".
    await page.evaluate(() => {
      const w = window as unknown as { sawWaiting: boolean };
      w.sawWaiting = false;
      new MutationObserver(() => {
        if (document.body.textContent?.includes('Waiting for the server')) w.sawWaiting = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('stock-amount').fill('1');
    await save(page);
    await expect.poll(() => message(page)).toMatch(/^Offline: saved on this tablet/);
    expect(await page.evaluate(() => (window as unknown as { sawWaiting: boolean }).sawWaiting)).toBe(false);

    // An offline shelf edit waits to sync, like the sale.
    await page.getByLabel('Shelf location').fill('B-9');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect
      .poll(() => page.getByTestId('details-saved').textContent())
      .toMatch(/^Saved on this tablet\. It waits to sync/);
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('2 pending');
    await staffShot(page, 'staff-offline-detail-1024', page.getByTestId('details-saved'));
    await page.getByRole('button', { name: /^Sync/ }).click();
    const waiting = page.getByRole('list', { name: 'Waiting to sync' });
    await expect.poll(() => waiting.textContent()).toContain('USB cable: shelf location changed');
    expect(await page.getByRole('heading', { name: 'Waiting to sync (2)' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: /Needs your attention/ }).count()).toBe(0);
    await expectAccessible(page, 'sync tab offline');
    await staffShot(page, 'staff-sync-waiting-1024');

    // Reloaded offline: still 2 pending, and never "synced just now".
    await page.reload();
    await page.getByTestId('sync-state').filter({ hasText: 'Offline' }).waitFor();
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('2 pending');
    expect(await page.getByTestId('last-synced').textContent()).toMatch(/^synced \d+ s ago$/);

    await context.setOffline(false);
    await page.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('pending-count').textContent(), { timeout: 20_000 })
      .toBe('0 pending');
    expect(await page.getByTestId('last-synced').textContent()).toBe('synced just now');
    const doc = server.sync.documentOf('aiea')?.doc;
    await waitUntil(
      async () => doc?.getMap<import('yjs').Map<string>>('products').get('CABLE')?.get('shelf'),
      (shelf) => shelf === 'B-9',
    );
    await waitUntil(
      () => product('CABLE'),
      (p) => p.onHand === 7,
      10_000,
    );
  }, 180_000);
});
