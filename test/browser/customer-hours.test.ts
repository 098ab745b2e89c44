/**
 * Today's opening hours on the customer home page's store cards (issue 21 §1), in Chromium at a
 * phone's size, checked with axe-core; HOLDFAST_SCREENSHOTS=docs writes docs/customer-hours.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../server/demo/seed.ts';
import { demoStoreHours } from '../../server/hours/demo-hours.ts';
import { todayHoursLabel } from '../../shared/opening-hours.ts';
import { dateInZone } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { HNL } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  webRoot = buildWebApp('customer-hours-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await loadDemoData(server.deps);
}, 120_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
});

describe('store hours on the customer home page', () => {
  it('says each store’s hours today in its zone, and a closure with its name', async () => {
    const today = dateInZone(Date.now(), HNL.timeZone);
    const hours = demoStoreHours(Number(today.slice(0, 4)));
    const closed = {
      ...hours,
      exceptions: [
        ...hours.exceptions.filter((x) => x.to < today || x.from > today),
        { from: today, to: today, label: 'Inventory day', ranges: [] },
      ],
    };
    const saved = await call(server.url, 'PUT', '/api/admin/stores/kapolei/hours', {
      token: TEST_ADMIN_TOKEN,
      body: closed,
    });
    expect(saved.status).toBe(200);
    const browser = await launchTablet({ viewport: { width: 390, height: 844 }, timezoneId: 'UTC' });
    closers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/`);
    const aiea = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'BetterBuy - Aiea' }) });
    const kapolei = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'BetterBuy - Kapolei' }) });
    // The browser runs in UTC; the label is the store's own day and zone.
    await expect.poll(() => aiea.textContent()).toContain(todayHoursLabel(hours, Date.now(), HNL.timeZone));
    expect(todayHoursLabel(hours, Date.now(), HNL.timeZone)).toMatch(/HST$|^Closed today/);
    await expect.poll(() => kapolei.textContent()).toContain('Closed today: Inventory day');
    await expectAccessible(page, 'home page with store hours');
    if (SCREENSHOTS) {
      await kapolei.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, 'customer-hours.png') });
    }
  });
});
