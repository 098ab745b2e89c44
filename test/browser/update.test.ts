import { cpSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTablet } from '../helpers/browser.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { buildWebApp } from '../helpers/web-build.ts';

let redis: TestRedis;
let server: TestServer;
let served: string;
let next: string;
let tablet: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  served = buildWebApp('first');
  next = buildWebApp('second');
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot: served });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
}, 120_000);
afterAll(async () => {
  await tablet?.close();
  await server?.close();
  await redis?.stop();
  for (const dir of [served, next]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a new version of the staff app', () => {
  it('is offered to the tablet, which reloads into it when staff choose to', async () => {
    const launched = await launchTablet();
    tablet = launched;
    const page = await launched.context.newPage();
    const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
      token: TEST_ADMIN_TOKEN,
    });
    await page.goto(`${server.url}/staff/`);
    await page.getByLabel('Enrollment code').fill(code.body.code);
    await page.getByLabel('Name for this tablet').fill('Counter');
    await page.getByRole('button', { name: 'Enroll tablet' }).click();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 20_000,
    });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toContain('+first');

    // Deploy: the server's files are replaced by the next build.
    rmSync(served, { recursive: true, force: true });
    cpSync(next, served, { recursive: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.getByRole('button', { name: 'Reload now' }).click({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('app-version').textContent(), { timeout: 20_000 })
      .toContain('+second');
  }, 120_000);
});
