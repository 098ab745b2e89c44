import { expect } from 'vitest';
import { addDays, dateInZone } from '../../shared/time.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from './server.ts';

export const HNL = {
  timeZone: 'Pacific/Honolulu',
  latitude: 21.3,
  longitude: -157.85,
};

/** Creates a store and its products through the admin API, as an operator would. */
export async function seedStore(
  url: string,
  storeId: string,
  products: { sku: string; onHand: number; name?: string }[],
): Promise<void> {
  const store = await call(url, 'PUT', `/api/admin/stores/${storeId}`, {
    token: TEST_ADMIN_TOKEN,
    body: { id: storeId, name: `Store ${storeId}`, address: '1 Test St', phone: '808-555-0100', ...HNL },
  });
  expect(store.status).toBe(200);
  const imported = await call(url, 'POST', `/api/admin/stores/${storeId}/products`, {
    token: TEST_ADMIN_TOKEN,
    idempotencyKey: newKey('import'),
    body: {
      products: products.map((p) => ({ sku: p.sku, name: p.name ?? `Product ${p.sku}`, onHand: p.onHand })),
    },
  });
  expect(imported.status).toBe(200);
}

/** Enrolls a tablet into `storeId` and returns its credential. */
export async function enrollTablet(
  url: string,
  storeId: string,
  deviceName = 'Tablet',
): Promise<{ token: string; deviceId: string }> {
  const code = await call(url, 'POST', `/api/admin/stores/${storeId}/enrollments`, {
    token: TEST_ADMIN_TOKEN,
  });
  expect(code.status).toBe(201);
  const enrolled = await call(url, 'POST', '/api/enroll', { body: { code: code.body.code, deviceName } });
  expect(enrolled.status).toBe(201);
  return { token: enrolled.body.credential, deviceId: enrolled.body.deviceId };
}

export const customer = (n: number | string) => ({
  name: `Customer ${n}`,
  email: `customer${n}@example.com`,
});

/** Retries an assertion until it passes or the time runs out (no fixed sleeps). */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
    last = await probe();
  }
  return last;
}

/**
 * Makes sure event `eventId` exists and has one 09:00–09:30 slot (capacity 5) at the store
 * tomorrow, store time (open for booking now); returns that slot's id.
 */
export async function slotTomorrow(url: string, eventId: string, storeId = 'aiea'): Promise<string> {
  const event = await call(url, 'POST', '/api/admin/events', {
    token: TEST_ADMIN_TOKEN,
    body: { id: eventId, name: eventId },
  });
  expect(event.status).toBe(201);
  const date = addDays(dateInZone(Date.now(), HNL.timeZone), 1);
  const slots = await call(url, 'POST', `/api/admin/events/${eventId}/slots`, {
    token: TEST_ADMIN_TOKEN,
    body: { storeIds: [storeId], firstDate: date, days: 1, dayStart: '09:00', dayEnd: '09:30', capacity: 5 },
  });
  expect(slots.status).toBe(201);
  return `${eventId}.${storeId}.${date.replaceAll('-', '')}0900`;
}
