/**
 * The admin console's Reports page in Chromium (issue 17 §3): a store's day from the ledger
 * (holds made, collected, cancelled, units received, the median time to pickup), shrinkage per
 * tablet, in the store's zone, labelled; the CSV download; axe-core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchiveLag } from '../../server/ledger/archiver.ts';
import { dateInZone } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, enrollTablet, HNL, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
const closers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  const webRoot = buildWebApp('admin-reports-test');
  redis = await startTestRedis();
  pg = await startTestPostgres();
  server = await startTestServer(redis, {}, { webRoot, ledger: pg.db(), archiver: { blockMs: 100 } });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 20, name: 'Trade-in kit' }]);
  const tablet = await enrollTablet(server.url, 'aiea', 'Front desk');
  const staff = (path: string, body?: object) =>
    call(server.url, 'POST', `/api/staff/aiea${path}`, {
      token: tablet.token,
      idempotencyKey: newKey('staff'),
      ...(body ? { body } : {}),
    });
  for (let i = 0; i < 3; i++) {
    const made = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(i) },
      idempotencyKey: newKey('hold'),
    });
    expect(made.status).toBe(201);
    if (i === 2) continue;
    const confirmed = await call(server.url, 'POST', `/api/holds/${made.body.id}/confirm`, {
      token: made.body.manageToken,
      idempotencyKey: newKey('confirm'),
    });
    expect(confirmed.status).toBe(200);
    expect((await staff(`/holds/${made.body.id}/pick`)).status).toBe(200);
    expect((await staff(`/holds/${made.body.id}/hand-over`)).status).toBe(200);
  }
  expect((await staff('/stock/KIT/receive', { quantity: 12 })).status).toBe(200);
  expect((await staff('/stock/KIT/write-off', { quantity: 1, reason: 'damaged' })).status).toBe(200);
  await waitUntil(
    () => readArchiveLag(server.deps),
    (lag) => lag.entries === 0,
    10_000,
  );
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  await pg?.stop();
});

describe('the Reports page', () => {
  it('shows a store’s day in its own zone, shrinkage per tablet, and downloads the CSV', async () => {
    const browser = await launchTablet({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    closers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin/`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const today = dateInZone(Date.now(), HNL.timeZone);
    await page.getByLabel('First day').fill(today);
    await page.getByLabel('Last day').fill(today);
    await page.getByRole('button', { name: 'Show reports' }).click();

    const card = page.getByRole('article', { name: 'Report for Store aiea' });
    await card.getByRole('heading', { name: 'Store aiea (HST)' }).waitFor();
    const row = card.getByRole('row', { name: new RegExp(today) });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([
      '3',
      '2',
      '2',
      '0',
      '0',
      '12',
      expect.stringMatching(/ min$/),
    ]);
    await card.getByRole('caption').getByText('Pickup holds and stock received per day (HST)').waitFor();
    // Shrinkage per tablet, by the tablet's name: one unit written off, none found missing.
    await card.getByRole('row', { name: 'Front desk 1 0' }).waitFor();
    await expectAccessible(page, 'reports page');
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'admin-reports.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe(
      'store,date,holdsMade,confirmed,collected,expired,cancelled,unitsReceived,medianMinutesToPickup',
    );
    expect(csv[1]).toMatch(new RegExp(`^aiea,${today},3,2,2,0,0,12,\\d`));
  }, 120_000);
});
