import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreHours } from '../../server/hours/demo-hours.ts';
import { todayHoursLabel } from '../../shared/opening-hours.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { launchTablet } from '../helpers/browser.ts';
import { customer, HNL, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { enrollTabletInBrowser } from '../helpers/staff-browser.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * Opening hours and event schedules in the admin console (issue 21 §1, §2), in real Chromium.
 * HOLDFAST_SCREENSHOTS=docs writes docs/admin-hours.png for the README.
 */

let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const closers: { close(): Promise<void> }[] = [];
const SCREENSHOTS = process.env.HOLDFAST_SCREENSHOTS;
const today = dateInZone(Date.now(), HNL.timeZone);
const tomorrow = addDays(today, 1);

const admin = (method: string, path: string, body?: unknown) =>
  call(server.url, method, `/api/admin${path}`, {
    token: TEST_ADMIN_TOKEN,
    ...(body === undefined ? {} : { body }),
  });

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
  expect((await admin('PUT', '/stores/aiea/hours', demoStoreHours(Number(today.slice(0, 4))))).status).toBe(
    200,
  );
  expect((await admin('POST', '/events', { id: 'trade-in', name: 'Trade-in day' })).status).toBe(201);
}, 180_000);
afterAll(async () => {
  for (const c of closers) await c.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

async function openHours(): Promise<Page> {
  const browser = await launchTablet();
  closers.push(browser);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/admin/`);
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Hours and schedules', exact: true }).click();
  await expect.poll(() => page.getByLabel('Tuesday').inputValue()).toBe('09:00-21:00');
  return page;
}

describe('admin hours and schedules page', () => {
  it('edits the week and exceptions, refuses a bad range, and runs an event schedule', async () => {
    const page = await openHours();
    await page.getByLabel('Monday').fill('21:00-09:00');
    await page.getByRole('button', { name: 'Save hours' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Monday');
    await page.getByLabel('Monday').fill('09:00-12:00, 13:00-21:00');
    await page.getByLabel('First day').fill(addDays(today, 3));
    await page.getByLabel('Name', { exact: true }).fill('Stocktake');
    await page.getByRole('button', { name: 'Add exception' }).click();
    await page.getByRole('button', { name: 'Save hours' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Saved the hours of Store aiea');
    const saved = (await admin('GET', '/stores/aiea/hours')).body.hours;
    expect(saved.weekly.mon).toEqual([
      { opens: '09:00', closes: '12:00' },
      { opens: '13:00', closes: '21:00' },
    ]);
    expect(saved.exceptions).toContainEqual({
      from: addDays(today, 3),
      to: addDays(today, 3),
      label: 'Stocktake',
      ranges: [],
    });

    await page.getByLabel('Seats per slot').fill('4');
    await page.getByLabel('Minutes per slot').fill('60');
    await page.getByLabel('Days ahead').fill('7');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/Saved: \d+ slots made/);
    const schedules = (await admin('GET', '/events/trade-in/schedules')).body.schedules;
    expect(schedules.aiea).toMatchObject({ capacity: 4, slotMinutes: 60, daysAhead: 7 });
    await expectAccessible(page, 'hours page');
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'admin-hours.png'), fullPage: true });
  });

  it('names the bookings when a closure would cover them, and saves nothing', async () => {
    const slots = (await admin('GET', `/events/trade-in/slots?storeId=aiea&date=${tomorrow}`)).body.slots;
    const slot = slots.find((s: { remaining: number }) => s.remaining > 0);
    expect(slot).toBeDefined();
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey('book'),
      body: { slotId: slot.id, customer: customer('Leilani') },
    });
    expect(booked.status).toBe(201);
    const page = await openHours();
    await page.getByLabel('First day').fill(tomorrow);
    await page.getByLabel('Name', { exact: true }).fill('Water leak');
    await page.getByRole('button', { name: 'Add exception' }).click();
    await page.getByRole('button', { name: 'Save hours' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Customer Leilani');
    const hours = (await admin('GET', '/stores/aiea/hours')).body.hours;
    expect(hours.exceptions.some((x: { label: string }) => x.label === 'Water leak')).toBe(false);
  });

  it('shows staff today’s hours on the tablet', async () => {
    const tablet = await enrollTabletInBrowser(server.url, { firstProduct: 'Product KIT' });
    closers.push(tablet);
    const hours = (await admin('GET', '/stores/aiea/hours')).body.hours;
    const expected = todayHoursLabel(hours, Date.now(), HNL.timeZone);
    await expect.poll(() => tablet.page.getByTestId('store-hours').textContent()).toContain(expected);
    await expectAccessible(tablet.page, 'tablet header with hours');
  });
});
