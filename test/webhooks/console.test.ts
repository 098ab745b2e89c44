/**
 * The admin console's Webhooks page in Chromium set to Los Angeles time against a store in
 * Honolulu: add an endpoint (its secret shown once), see a delivery in the log with the store's
 * time labelled "HST", resend it, pause the endpoint; axe-core on each screen.
 * HOLDFAST_SCREENSHOTS=docs writes docs/webhooks-*.png.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';
import { startReceiver, type TestReceiver } from './receiver.ts';
import { FAST_WEBHOOKS, WEBHOOK_TEST_CONFIG } from './tuning.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
let receiver: TestReceiver;
let webRoot: string;
let browser: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  webRoot = buildWebApp('webhooks-test');
  redis = await startTestRedis();
  pg = await startTestPostgres();
  receiver = await startReceiver();
  server = await startTestServer(redis, WEBHOOK_TEST_CONFIG, {
    webRoot,
    ledger: pg.db(),
    webhooks: FAST_WEBHOOKS,
  });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.stop();
  await Promise.all([redis?.stop(), pg?.stop()]);
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: join(SCREENSHOTS, `webhooks-${name}.png`), fullPage: true });
}

describe('the Webhooks page', () => {
  it('adds an endpoint, shows its secret once, logs a delivery in store time, resends it and pauses', async () => {
    const launched = await launchTablet({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/Los_Angeles',
    });
    browser = launched;
    const page = await launched.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin/#webhooks`);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhook endpoint yet.').waitFor();

    await page.getByLabel('Receiver URL').fill(`${receiver.url}/console`);
    await page.getByLabel('Events (comma-separated)').fill('hold.*');
    await page.getByLabel('Description').fill('Order system');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('it is shown only this once').waitFor();
    expect(await page.locator('code').textContent()).toMatch(/^whsec_/);
    await expectAccessible(page, 'webhooks page with a new secret');
    await shot(page, 'secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('code').count()).toBe(0);

    const hold = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
      idempotencyKey: newKey('hold'),
    });
    expect(hold.status).toBe(201);
    await waitUntil(
      async () => receiver.received.length,
      (n) => n === 1,
    );
    await page.getByRole('button', { name: 'Show deliveries' }).click();
    const row = page.getByRole('row', { name: /hold\.created/ });
    await row.getByText('Delivered').waitFor();
    expect(await row.textContent()).toMatch(/\d{1,2}:\d{2}:\d{2} [AP]M HST/);
    expect(await row.textContent()).toMatch(/200 in \d+ ms/);
    await expectAccessible(page, 'webhooks delivery log');
    await shot(page, 'deliveries');

    await row.getByRole('button', { name: /Resend/ }).click();
    await waitUntil(
      async () => receiver.received.length,
      (n) => n === 2,
    );
    expect(receiver.received[1]?.headers['webhook-id']).toBe(receiver.received[0]?.headers['webhook-id']);

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').getByText('events wait until you resume').waitFor();
    await page.getByText('Paused', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Active', { exact: true }).waitFor();
  });
});
