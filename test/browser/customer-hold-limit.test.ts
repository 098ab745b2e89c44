import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTablet } from '../helpers/browser.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/** The reserve page follows the cap an admin set for the product, and keeps what was typed. */
let redis: TestRedis;
let server: TestServer;
let webRoot: string;
let browser: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [{ sku: 'PHONE', onHand: 30, name: 'Launch phone' }]);
  const set = await call(server.url, 'PUT', '/api/admin/products/PHONE/hold-limit', {
    token: TEST_ADMIN_TOKEN,
    body: { maxPerHold: 2 },
  });
  expect(set.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

describe('the per-customer cap on the reserve page', () => {
  it('says the cap, refuses more in a sentence, keeps the form, and reserves within it', async () => {
    const launched = await launchTablet({ viewport: { width: 390, height: 844 } });
    browser = launched;
    const page = await launched.context.newPage();
    await page.goto(`${server.url}/products/PHONE/reserve/aiea`);
    const quantity = page.getByLabel('How many (at most 2)');
    await quantity.fill('3');
    await page.getByLabel('Your name').fill('Leilani Test');
    await page.getByLabel(/^Email/).fill('leilani@example.com');
    await page.getByRole('button', { name: 'Reserve' }).click();
    await page.getByText('One customer may reserve at most 2 of this product.').waitFor();
    expect(await page.getByLabel('Your name').inputValue()).toBe('Leilani Test');

    await quantity.fill('2');
    await page.getByRole('button', { name: 'Reserve' }).click();
    await page.waitForURL(/\/holds\/[^#]+#.+/);
  }, 60_000);
});
