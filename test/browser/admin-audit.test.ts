import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, enrollTablet, HNL, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * The admin's audit log in words (issue 15 §5), in real Chromium set to Los Angeles time while
 * the store is in Honolulu: every time reads in the store's zone, labelled; actors and products
 * by name. HOLDFAST_SCREENSHOTS=docs writes docs/admin-audit.png.
 */

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];
const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;

const admin = (method: string, path: string, body?: unknown) =>
  call(server.url, method, `/api${path}`, {
    token: TEST_ADMIN_TOKEN,
    idempotencyKey: newKey('admin'),
    ...(body === undefined ? {} : { body }),
  });

/** "Dec 7, 9:25 AM HST": how the page writes a time at the Honolulu store. */
const hst = (at: number) =>
  new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: HNL.timeZone,
    timeZoneName: 'short',
  }).format(at);

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [{ sku: 'CHG-ALOHA-5', onHand: 20, name: 'Car charger' }]);
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

async function openAudit(): Promise<Page> {
  const browser = await launchTablet({ timezoneId: 'America/Los_Angeles', acceptDownloads: true });
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/admin/`);
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Audit log', exact: true }).click();
  return page;
}

describe('the audit page', () => {
  it('reads in words, with names and store times, filters by SKU, follows live and exports both times', async () => {
    const front = await enrollTablet(server.url, 'aiea', 'Front counter');
    const back = await enrollTablet(server.url, 'aiea', 'Back office');
    expect((await admin('PUT', `/admin/tablets/${back.deviceId}/name`, { name: 'Stockroom' })).status).toBe(
      200,
    );
    expect((await admin('PUT', '/admin/products/CHG-ALOHA-5/hold-limit', { maxPerHold: 3 })).status).toBe(
      200,
    );
    await slotTomorrow(server.url, 'launch', 'aiea');
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('hold'),
      body: { storeId: 'aiea', sku: 'CHG-ALOHA-5', quantity: 1, customer: customer(1) },
    });
    expect(hold.status).toBe(201);
    const { id, manageToken } = hold.body as { id: string; manageToken: string };
    const step = (path: string, token: string) =>
      call(server.url, 'POST', path, { token, idempotencyKey: newKey('step') });
    expect((await step(`/api/holds/${id}/confirm`, manageToken)).status).toBe(200);
    expect((await step(`/api/staff/aiea/holds/${id}/pick`, front.token)).status).toBe(200);
    expect((await step(`/api/staff/aiea/holds/${id}/hand-over`, front.token)).status).toBe(200);
    const handOver = (await admin('GET', '/admin/audit?type=hold.hand_over')).body.entries[0] as {
      at: number;
    };

    const page = await openAudit();
    const rows = page.getByTestId('audit-entry');
    const handOverRow = rows.filter({ hasText: 'Hand-over of 1 x Car charger (CHG-ALOHA-5)' });
    await handOverRow.waitFor();
    expect(await handOverRow.textContent()).toContain('Front counter');
    expect(await handOverRow.textContent()).toContain(hst(handOver.at));
    expect(await handOverRow.textContent()).toMatch(/HST/);
    expect(
      await page
        .getByTestId('audit-entry')
        .filter({ hasText: /P[SD]T/ })
        .count(),
    ).toBe(0);
    await rows
      .filter({ hasText: 'Hold of 1 x Car charger (CHG-ALOHA-5) for a customer, to confirm by' })
      .waitFor();
    expect(await rows.filter({ hasText: 'Hold of 1 x Car charger' }).textContent()).toContain('Customer');
    await rows.filter({ hasText: 'Tablet "Back office" renamed "Stockroom"' }).getByText('Admin').waitFor();
    await rows.filter({ hasText: 'Tablet "Front counter" enrolled' }).waitFor();
    await rows.filter({ hasText: 'Limits of Car charger (CHG-ALOHA-5): at most 3 per hold' }).waitFor();
    await rows.filter({ hasText: 'Event "launch" saved' }).waitFor();
    await rows.filter({ hasText: '1 slot of 5 seats made at aiea' }).waitFor();
    expect(await page.getByText('expiresAt').count()).toBe(0);
    expect(await page.getByText('statusBefore').count()).toBe(0);

    // The time filters are store time too, and say so.
    await page.getByLabel('From (store time, HST)').waitFor();

    // Filtering by SKU finds the import too: it lists its products.
    await page.getByLabel('SKU').fill('CHG-ALOHA-5');
    await page.getByRole('button', { name: 'Show entries' }).click();
    // The hold's four steps, the limits and the import; no tablet's or event's entry.
    const filtered = await waitUntil(
      () => rows.allTextContents(),
      (texts) => texts.length === 6,
    );
    expect(filtered.at(-1)).toContain('Import of 1 product (1 new, 0 updated): CHG-ALOHA-5');
    expect(filtered.every((text) => text.includes('CHG-ALOHA-5'))).toBe(true);

    // Live: a change made on a tablet appears at the top, in words, by the tablet's name.
    await page.getByTestId('live-state').filter({ hasText: /^Live/ }).waitFor();
    const received = await call(server.url, 'POST', '/api/staff/aiea/stock/CHG-ALOHA-5/receive', {
      token: back.token,
      idempotencyKey: newKey('recv'),
      body: { quantity: 2, reason: 'truck' },
    });
    expect(received.status).toBe(200);
    await rows.first().filter({ hasText: 'Received 2 x Car charger (CHG-ALOHA-5): truck' }).waitFor();
    expect(await rows.first().textContent()).toContain('Stockroom');

    // The CSV: the instant and the store's time, the actor's id and name, the words.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    const csv = readFileSync((await file.path()) ?? '', 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,source,time,storeTime,type,actor,actorName,storeId,sku,deviceId,summary,data');
    const handOverLine = csv.find((l) => l.includes(',hold.hand_over,')) ?? '';
    expect(handOverLine).toContain(`,${new Date(handOver.at).toISOString()},`);
    expect(handOverLine).toMatch(
      /,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d HST,hold\.hand_over,staff:[0-9A-Z]{26},Front counter,/,
    );
    expect(handOverLine).toContain('Hand-over of 1 x Car charger (CHG-ALOHA-5)');

    await expectAccessible(page);
    if (SCREENSHOTS) {
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await rows.filter({ hasText: 'Tablet "Front counter" enrolled' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'admin-audit.png'), fullPage: true });
    }
  }, 60_000);
});
