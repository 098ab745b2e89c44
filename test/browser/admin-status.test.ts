/**
 * The admin console's sync-status page in Chromium: a tablet connects, the page shows it in sync
 * without a reload; it vanishes, the page shows it offline within 10 s. axe-core on the page.
 */
import type { Socket } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchTablet } from '../helpers/browser.ts';
import { enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { connectDoc } from '../helpers/tablet-client.ts';
import { buildWebApp } from '../helpers/web-build.ts';

const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
let redis: TestRedis;
let server: TestServer;
const closers: { close(): Promise<void> | void }[] = [];

beforeAll(async () => {
  const webRoot = buildWebApp('admin-status-test');
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10, name: 'Trade-in kit' }]);
}, 120_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
});

it('shows each tablet as the server sees it, live: in sync, then offline within 10 s', async () => {
  const browser = await launchTablet({ viewport: { width: 1280, height: 900 } });
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
  const store = page.getByTestId('store-sync').first();
  await expect.poll(() => store.textContent()).toContain('No tablet connected');

  const tablet = await enrollTablet(server.url, 'aiea', 'Front counter');
  const doc = connectDoc(server.url, 'aiea', tablet.token);
  closers.push(doc);
  await doc.synced;
  const row = page.getByTestId('tablet-row').filter({ hasText: 'Front counter' });
  await expect.poll(() => row.textContent(), { timeout: 5_000 }).toContain('In sync');
  await expect.poll(() => row.textContent()).toContain('Connected since');
  // The charts say in words what they draw; a tablet's drill-down lists its connections.
  await page.getByText(/Tablets connected: 1 now/).waitFor({ timeout: 15_000 });
  await page.getByText(/Holds made: \d+ in the last hour/).waitFor();
  await row.getByText('History').click();
  await row.getByText(/connected to/).waitFor();
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
  ).toEqual([]);
  if (SCREENSHOTS)
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-sync-status.png'), fullPage: true });

  // The lid closes: no close frame, no answer to pings.
  (doc.provider.ws as unknown as { _socket: Socket })._socket.pause();
  doc.provider.shouldConnect = false;
  const vanished = Date.now();
  await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Offline since');
  expect(Date.now() - vanished).toBeLessThan(10_000);
}, 60_000);
