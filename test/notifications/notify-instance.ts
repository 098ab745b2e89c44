/**
 * One Holdfast instance with notifications, in a process of its own, for the kill test: over
 * REDIS_URL and DATABASE_URL, emails to SMTP_URL; prints `INSTANCE <url>` once it serves.
 */
import { Redis } from 'ioredis';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { startHoldfast } from '../../server/holdfast.ts';
import { createLedgerDb } from '../../server/ledger/db.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { KILL_QUEUE } from './harness.ts';

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
});
config.notify = { ...config.notify, smtpUrl: env('SMTP_URL'), publicUrl: 'https://shop.example' };
const deps = createDeps(redis, config, { ledger, onError: () => undefined });
const holdfast = await startHoldfast(deps, {
  port: 0,
  hostname: '127.0.0.1',
  webRoot: '/nonexistent',
  onError: () => undefined,
  notifications: {
    consumer: { blockMs: 100, refreshStreamsMs: 100, claimIdleMs: 1_000, claimEveryMs: 200 },
    queue: KILL_QUEUE,
    log: () => undefined,
  },
});
await holdfast.notifications?.ready;
console.log(`INSTANCE ${holdfast.url}`);
