import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holdfast } from '../../server/holdfast.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';
import { seedZonedStore, startNotifyingServer } from './harness.ts';
import { startTestSmtp, type TestSmtp } from './mail-servers.ts';

/**
 * The console's Messages page in real Chromium: every message with its status, filters and
 * resend. HOLDFAST_SCREENSHOTS=docs writes docs/admin-messages.png.
 */
let redis: TestRedis;
let pg: TestPostgres;
let smtp: TestSmtp;
let server: Holdfast;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];
const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;

beforeAll(async () => {
  webRoot = buildWebApp();
  // One after the other: two free-port probes racing can pick the same port.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  smtp = await startTestSmtp();
  // Email goes out; no text provider is set, so text messages are kept as not sent.
  server = await startNotifyingServer(redis, pg.db(), { smtpUrl: smtp.url }, {}, {}, webRoot);
  await seedZonedStore(server.url, 'aiea', 'Pacific/Honolulu', [{ sku: 'KIT', name: 'Surf kit', onHand: 9 }]);
  const res = await call(server.url, 'POST', '/api/holds', {
    body: {
      storeId: 'aiea',
      sku: 'KIT',
      quantity: 1,
      customer: { name: 'Ann', email: 'ann@example.com', phone: '+18085550101' },
    },
    idempotencyKey: newKey('hold'),
  });
  expect(res.status).toBe(201);
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
  await smtp?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

describe('the Messages page', () => {
  it('lists every message with its status, filters by status and resends one', async () => {
    const browser = await launchTablet();
    closers.push(browser);
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/admin/`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();

    const rows = page.getByRole('row');
    // The hold's email (sent) and its text message (no provider); refreshed until both are there.
    await expect
      .poll(
        async () => {
          await page.getByLabel('Status').selectOption('');
          return page.getByRole('cell', { name: 'Sent', exact: true }).count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await page.getByRole('cell', { name: 'Text: +18085550101' }).first().waitFor();
    await page.getByRole('cell', { name: 'Email: ann@example.com' }).first().waitFor();
    await expectAccessible(page);
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'admin-messages.png'), fullPage: true });

    await page.getByLabel('Status').selectOption({ label: 'Not sent: no provider' });
    await expect.poll(() => page.getByRole('cell', { name: 'Email: ann@example.com' }).count()).toBe(0);
    expect(await rows.count()).toBeGreaterThan(1);
    const first = page.getByRole('button', { name: /^Resend message \d+$/ }).first();
    await first.click();
    await page.getByRole('status').filter({ hasText: 'will be sent again' }).waitFor();
  }, 90_000);
});
