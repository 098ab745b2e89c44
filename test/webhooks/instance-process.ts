/**
 * One Holdfast instance with its webhook dispatcher and worker, in a process of its own, for
 * the kill test: over REDIS_URL and DATABASE_URL, on a free port; prints `INSTANCE <url>`
 * once it serves. Webhooks may go to loopback (the test's receiver), on a short schedule.
 */
import { Redis } from 'ioredis';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { startHoldfast } from '../../server/holdfast.ts';
import { createLedgerDb } from '../../server/ledger/db.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { FAST_WEBHOOKS, WEBHOOK_TEST_CONFIG } from './tuning.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const redis = new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1 });
const ledger = createLedgerDb(env('DATABASE_URL'), () => undefined);
const config = testConfig({
  adminToken: TEST_ADMIN_TOKEN,
  rateLimitPerMinute: 0,
  rateLimitPerIdentityPerMinute: 0,
  ...WEBHOOK_TEST_CONFIG,
});
const deps = createDeps(redis, config, { ledger, onError: () => undefined });
const holdfast = await startHoldfast(deps, {
  port: 0,
  hostname: '127.0.0.1',
  webRoot: '/nonexistent',
  onError: () => undefined,
  webhooks: FAST_WEBHOOKS,
});
console.log(`INSTANCE ${holdfast.url}`);
