import { expect } from 'vitest';
import { type Config, testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { type Holdfast, startHoldfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import type { NotificationOptions } from '../../server/notifications/start.ts';
import type { TestBackend } from '../helpers/backends.ts';
import { call, newKey, TEST_ADMIN_TOKEN } from '../helpers/server.ts';

export const PUBLIC_URL = 'https://shop.example';

/** The queue of the kill test: an attempt taken as abandoned after 2 s, retried after 1 s. */
export const KILL_QUEUE = {
  retryDelaySeconds: 1,
  expireInSeconds: 2,
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
};

/** The real server with notifications on, SMTP and Twilio pointed at the test's servers. */
export async function startNotifyingServer(
  redis: Pick<TestBackend, 'client'>,
  ledger: LedgerDb,
  providers: { smtpUrl?: string; twilioApiBase?: string },
  overrides: Partial<Config> = {},
  notifications: NotificationOptions = {},
  webRoot = '/nonexistent',
): Promise<Holdfast> {
  const config = testConfig({
    adminToken: TEST_ADMIN_TOKEN,
    rateLimitPerMinute: 0,
    rateLimitPerIdentityPerMinute: 0,
    ...overrides,
  });
  config.notify = {
    smtpUrl: providers.smtpUrl,
    mailFrom: 'Holdfast <shop@example.com>',
    publicUrl: PUBLIC_URL,
    twilio: providers.twilioApiBase
      ? { accountSid: 'ACtest', authToken: 'secret', from: '+18085550199', apiBase: providers.twilioApiBase }
      : undefined,
  };
  const onError = (error: unknown) => console.warn('error in test server:', error);
  const deps = createDeps(redis.client(), config, { onError, ledger });
  const holdfast = await startHoldfast(deps, {
    port: 0,
    hostname: '127.0.0.1',
    webRoot,
    onError,
    eventCheckMs: 100,
    notifications: {
      consumer: { blockMs: 100, refreshStreamsMs: 100, claimIdleMs: 1_000, claimEveryMs: 200 },
      queue: { retryDelaySeconds: 1, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
      log: () => undefined,
      ...notifications,
    },
  });
  await holdfast.notifications?.ready;
  return holdfast;
}

/** A store through the admin API, in the zone given. */
export async function seedZonedStore(
  url: string,
  storeId: string,
  timeZone: string,
  products: { sku: string; name: string; onHand: number }[],
): Promise<void> {
  const store = await call(url, 'PUT', `/api/admin/stores/${storeId}`, {
    token: TEST_ADMIN_TOKEN,
    body: {
      id: storeId,
      name: `Store ${storeId}`,
      address: '1 Test St',
      phone: '808-555-0100',
      timeZone,
      latitude: 21.3,
      longitude: -157.85,
    },
  });
  expect(store.status).toBe(200);
  const imported = await call(url, 'POST', `/api/admin/stores/${storeId}/products`, {
    token: TEST_ADMIN_TOKEN,
    idempotencyKey: newKey('import'),
    body: { products },
  });
  expect(imported.status).toBe(200);
}

/** "2:15 PM" of `at` in `timeZone`, computed from the zone's offset (not Intl's time format). */
export function clockOf(at: number, offsetMs: number): string {
  const d = new Date(at + offsetMs);
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}
