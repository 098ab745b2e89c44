import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { ARCHIVER_GROUP, trimAcknowledged } from '../../server/consumers/trim.ts';
import type { Deps } from '../../server/deps.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let deps: Deps;
const STREAM = 'audit:{st:trimtest}';

beforeAll(async () => {
  redis = await startTestRedis();
  deps = { redis: redis.client(), config: testConfig({ auditKeepInRedis: 5 }) } as unknown as Deps;
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  for (let i = 0; i < 20; i++) await redis.client().xadd(STREAM, '*', 'n', String(i));
});

describe('trimming an audit stream', () => {
  it('removes nothing while only another consumer group has acknowledged it: it says nothing of the ledger', async () => {
    // The notifier's group, say, has read and acknowledged everything ('$': nothing pending).
    await redis.client().xgroup('CREATE', STREAM, 'notifier', '$');
    expect(await trimAcknowledged(deps, STREAM)).toBe(0);
    expect(await redis.client().xlen(STREAM)).toBe(20);
  });

  it('trims to the kept window once the archiver has acknowledged, and never past the slowest group', async () => {
    await redis.client().xgroup('CREATE', STREAM, 'notifier', '$');
    const entries = await redis.client().xrange(STREAM, '-', '+');
    // The archiver has read and acknowledged up to the 10th entry, which itself stays (MINID).
    await redis.client().xgroup('CREATE', STREAM, ARCHIVER_GROUP, entries[9]?.[0] ?? '0');
    expect(await trimAcknowledged(deps, STREAM)).toBe(9);
    expect((await redis.client().xrange(STREAM, '-', '+', 'COUNT', 1))[0]?.[0]).toBe(entries[9]?.[0]);
    await redis.client().xgroup('SETID', STREAM, ARCHIVER_GROUP, '$');
    expect(await trimAcknowledged(deps, STREAM)).toBe(6);
    expect(await redis.client().xlen(STREAM)).toBe(5);
  });
});
