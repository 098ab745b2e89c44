import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventKeys } from '../../server/appointments/keys.ts';
import { BOOKING_UNDO_WINDOW_MS } from '../../shared/booking-steps.ts';
import { dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { expectAccessible } from '../helpers/axe.ts';
import { manualClock } from '../helpers/clock.ts';
import { customer, HNL, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { enrollTabletInBrowser, type OpenTablet, staffShot } from '../helpers/staff-browser.ts';
import { buildWebApp } from '../helpers/web-build.ts';

/**
 * Issue 15 §2, §6 and §9 on the tablet, at 1024x768, by what is on screen: appointments
 * with their date, event and phone, a no-show offered only once the slot has started and
 * asked first, check-in and no-show undone; the pickup queue's next step first, hand-over
 * only once picked and asked first. The server's clock and the tablet's start at 9:20 AM
 * store time and move together.
 */

const TODAY = dateInZone(Date.now(), HNL.timeZone);
const START = zonedTimeToEpochMs(TODAY, '09:20', HNL.timeZone);
const MIN = 60_000;
const clock = manualClock(START);
let redis: TestRedis;
let server: TestServer;
let webRoot: string;
const tablets: OpenTablet[] = [];

beforeAll(async () => {
  webRoot = buildWebApp();
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { webRoot, clock });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10, name: 'Trade-in kit' },
    { sku: 'CASE', onHand: 5, name: 'Clear case' },
  ]);
  const event = await call(server.url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: 'launch', name: 'Launch trade-in', perCustomerLimit: 1 },
  });
  expect(event.status).toBe(201);
  const slots = await call(server.url, 'POST', '/api/admin/events/launch/slots', {
    token: TEST_ADMIN_TOKEN,
    body: { storeIds: ['aiea'], firstDate: TODAY, days: 1, dayStart: '09:30', dayEnd: '10:00', capacity: 5 },
  });
  expect(slots.status).toBe(201);
}, 120_000);
afterAll(async () => {
  for (const t of tablets) await t.close();
  await server?.close();
  await redis?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

const SLOT = `launch.aiea.${TODAY.replaceAll('-', '')}0930`;

async function book(name: string, phone: string): Promise<{ id: string }> {
  const res = await call(server.url, 'POST', '/api/bookings', {
    idempotencyKey: newKey('book'),
    body: { slotId: SLOT, customer: { name, phone } },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** The booking's status in Redis, where the scripts keep it. */
async function statusOf(id: string): Promise<string> {
  return (await server.deps.redis.hget(eventKeys('launch').booking(id), 'status')) ?? '';
}

describe('the tablet’s appointments (issue 15 §2, §9)', () => {
  it('lists the day with event and phone; no-show only from the start, asked first; check-in and no-show undone', async () => {
    const ana = await book('Ana Kealoha', '808-555-0101');
    const bo = await book('Bo Nakamura', '808-555-0102');
    const tablet = await enrollTabletInBrowser(server.url, { clockAt: START, firstProduct: 'Trade-in kit' });
    tablets.push(tablet);
    const { page } = tablet;
    await page.getByRole('button', { name: 'Appointments' }).click();
    const dayHeading = page.getByRole('heading', { level: 2 });
    const day = new Date(START).toLocaleDateString('en-US', {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      timeZone: HNL.timeZone,
    });
    await expect
      .poll(() => dayHeading.textContent())
      .toBe(`Appointments today, ${day} (times are the store’s, HST)`);
    await page.getByRole('heading', { name: '9:30 AM HST (2)' }).waitFor();
    const anaRow = page.getByTestId('appointment').filter({ hasText: 'Ana Kealoha' });
    const boRow = page.getByTestId('appointment').filter({ hasText: 'Bo Nakamura' });
    await expect.poll(() => anaRow.textContent()).toContain('Launch trade-in');
    expect(await anaRow.getByRole('link', { name: '808-555-0101' }).getAttribute('href')).toBe(
      'tel:808-555-0101',
    );
    // 9:20: the customer is not late yet, so there is no No-show to tap.
    expect(await boRow.getByRole('button', { name: 'No-show' }).count()).toBe(0);
    await boRow.getByText('No-show can be marked from 9:30 AM HST.').waitFor();

    // Check in by mistake, then undo it: booked again, on the server too.
    await anaRow.getByRole('button', { name: 'Check in', exact: true }).click();
    await expect
      .poll(() => anaRow.getByTestId('appointment-status').textContent())
      .toMatch(/^Checked in 9:2\d AM HST$/);
    await waitUntil(
      () => statusOf(ana.id),
      (s) => s === 'checked_in',
      10_000,
    );
    await anaRow.getByRole('button', { name: 'Undo check-in' }).click();
    await expect.poll(() => anaRow.getByTestId('appointment-status').textContent()).toBe('Expected');
    await waitUntil(
      () => statusOf(ana.id),
      (s) => s === 'booked',
      10_000,
    );
    await anaRow.getByRole('button', { name: 'Check in', exact: true }).click();
    await expectAccessible(page, 'appointments before the start');
    await staffShot(page, 'staff-appointments-1024');

    // 9:31: Bo has not come. No-show asks first; "Keep as expected" changes nothing.
    clock.advance(11 * MIN);
    await page.clock.fastForward(11 * MIN);
    await boRow.getByRole('button', { name: 'No-show' }).click();
    await boRow.getByText('Mark Bo Nakamura as a no-show?').waitFor();
    await expectAccessible(page, 'no-show asked');
    await staffShot(page, 'staff-no-show-confirm-1024');
    await boRow.getByRole('button', { name: 'Keep as expected' }).click();
    expect(await boRow.getByTestId('appointment-status').textContent()).toBe('Expected');
    await boRow.getByRole('button', { name: 'No-show' }).click();
    await boRow.getByRole('button', { name: 'Yes, mark no-show' }).click();
    await expect
      .poll(() => boRow.getByTestId('appointment-status').textContent())
      .toMatch(/^No-show \(marked 9:3\d AM HST\)$/);
    await waitUntil(
      () => statusOf(bo.id),
      (s) => s === 'no_show',
      10_000,
    );
    await boRow.getByText(/^until 10:0\d AM HST$/).waitFor();

    // Bo walks in late: staff undo the no-show and check him in (or check him in at once).
    expect(await boRow.getByRole('button', { name: 'Check in (arrived late)' }).count()).toBe(1);
    await boRow.getByRole('button', { name: 'Undo no-show' }).click();
    await boRow.getByRole('button', { name: 'Check in', exact: true }).click();
    await waitUntil(
      () => statusOf(bo.id),
      (s) => s === 'checked_in',
      10_000,
    );

    // Half an hour later the undo is gone from the screen, as the server would refuse it.
    clock.advance(BOOKING_UNDO_WINDOW_MS);
    await page.clock.fastForward(BOOKING_UNDO_WINDOW_MS);
    await expect.poll(() => anaRow.getByRole('button', { name: 'Undo check-in' }).count()).toBe(0);
    expect(await boRow.getByRole('button', { name: 'Undo check-in' }).count()).toBe(0);
  }, 180_000);
});

describe('the pickup queue (issue 15 §6)', () => {
  it('shows the next step as the main button, hand-over only once picked, and asks before handing over', async () => {
    const tablet = await enrollTabletInBrowser(server.url, {
      clockAt: clock.now(),
      firstProduct: 'Trade-in kit',
    });
    tablets.push(tablet);
    const { page } = tablet;
    const hold = (
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey('hold'),
        body: { storeId: 'aiea', sku: 'CASE', quantity: 2, customer: customer('Kai') },
      })
    ).body;
    await page.getByRole('button', { name: /^Pickups/ }).click();
    const card = page.getByTestId('pickup').filter({ hasText: 'Customer Kai' });
    await card.waitFor();
    const buttons = async () =>
      card
        .getByRole('button')
        .evaluateAll((els) =>
          els.map((el) => `${el.textContent}${el.classList.contains('secondary') ? ' (secondary)' : ''}`),
        );
    // Not confirmed by the customer yet: accept it, or cancel.
    await expect.poll(buttons).toEqual(['Accept', 'Cancel hold (secondary)']);
    const confirmed = await call(server.url, 'POST', `/api/holds/${hold.id}/confirm`, {
      token: hold.manageToken,
      idempotencyKey: newKey('confirm'),
    });
    expect(confirmed.status).toBe(200);
    await expect
      .poll(buttons, { timeout: 10_000 })
      .toEqual(['Accept', 'Mark picked (secondary)', 'Cancel hold (secondary)']);
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(buttons, { timeout: 10_000 }).toEqual(['Mark picked', 'Cancel hold (secondary)']);
    await staffShot(page, 'staff-pickup-next-step-1024');
    await card.getByRole('button', { name: 'Mark picked' }).click();
    await expect.poll(buttons, { timeout: 10_000 }).toEqual(['Hand over', 'Cancel hold (secondary)']);

    await card.getByRole('button', { name: 'Hand over' }).click();
    await card.getByText('Hand over to Customer Kai?').waitFor();
    await expectAccessible(page, 'hand-over asked');
    await staffShot(page, 'staff-hand-over-confirm-1024');
    await card.getByRole('button', { name: 'Not yet' }).click();
    const onHand = async () =>
      (await call(server.url, 'GET', '/api/admin/stores/aiea/products?q=CASE', { token: TEST_ADMIN_TOKEN }))
        .body.products[0].onHand as number;
    expect(await onHand()).toBe(5);
    await card.getByRole('button', { name: 'Hand over' }).click();
    await card.getByRole('button', { name: 'Yes, handed over' }).click();
    const done = page.getByRole('list', { name: 'Done today' });
    await expect.poll(() => done.textContent(), { timeout: 10_000 }).toContain('Customer Kai — Handed over');
    await waitUntil(onHand, (n) => n === 3, 10_000);
  }, 180_000);
});
