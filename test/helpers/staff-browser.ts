import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchTablet } from './browser.ts';
import { call, TEST_ADMIN_TOKEN } from './server.ts';

export interface OpenTablet {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A tablet in Chromium at 1024x768 enrolled into `storeId` through its own screen, in sync,
 * its service worker in control (offline reloads need it). `clockAt` installs Playwright's
 * clock at that instant first (time then runs on from it; tests move it with fastForward).
 */
export async function enrollTabletInBrowser(
  serverUrl: string,
  options: { storeId?: string; name?: string; clockAt?: number; firstProduct: string },
): Promise<OpenTablet> {
  const tablet = await launchTablet({ viewport: { width: 1024, height: 768 } });
  const page = await tablet.context.newPage();
  if (options.clockAt !== undefined) await page.clock.install({ time: options.clockAt });
  const code = await call(serverUrl, 'POST', `/api/admin/stores/${options.storeId ?? 'aiea'}/enrollments`, {
    token: TEST_ADMIN_TOKEN,
  });
  await page.goto(`${serverUrl}/staff/`);
  await page.getByLabel('Enrollment code').fill(code.body.code);
  await page.getByLabel('Name for this tablet').fill(options.name ?? 'Counter');
  await page.getByRole('button', { name: 'Enroll tablet' }).click();
  await page.getByTestId('sync-state').filter({ hasText: 'In sync' }).waitFor();
  await page.getByRole('button', { name: new RegExp(options.firstProduct) }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
  return { context: tablet.context, page, close: () => tablet.close() };
}

/**
 * Saves what the 1024x768 screen shows as <STAFF_SHOTS_DIR>/<name>.png when that is set (the
 * README's pictures), with `focus` scrolled to the middle of the screen first.
 */
export async function staffShot(page: Page, name: string, focus?: Locator): Promise<void> {
  const dir = process.env.STAFF_SHOTS_DIR;
  if (!dir) return;
  await focus?.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: `${dir}/${name}.png` });
}
