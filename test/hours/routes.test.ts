import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreHours } from '../../server/hours/demo-hours.ts';
import { storeHoursSchema } from '../../shared/opening-hours.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';
import { manualClock } from '../helpers/clock.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';

let redis: TestRedis;
let one: TestServer;
let two: TestServer;
let contract: ReturnType<typeof routeContract>;
// Wednesday 2026-11-25, noon in Honolulu; Thanksgiving is the day after.
const clock = manualClock(zonedTimeToEpochMs('2026-11-25', '12:00', 'Pacific/Honolulu'));
const HOURS = demoStoreHours(2026);

beforeAll(async () => {
  redis = await startTestRedis();
  one = await startTestServer(redis, {}, { clock });
  two = await startTestServer(redis, {}, { clock });
  contract = routeContract(one.app);
  await seedStore(one.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await redis?.stop();
});

async function on(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token = TEST_ADMIN_TOKEN,
) {
  const res = await call(server.url, method, `/api${path}`, {
    token,
    ...(body === undefined ? {} : { body }),
  });
  contract.check(method, `/api${path}`, res.status, res.body);
  return res;
}

describe('opening hours routes (issue 21 §1)', () => {
  it('has no hours until an admin sets them, then every instance reads them at once', async () => {
    expect((await on(one, 'GET', '/stores/aiea/hours')).body).toEqual({ hours: null });
    const saved = await on(one, 'PUT', '/admin/stores/aiea/hours', HOURS);
    expect(saved.status).toBe(200);
    expect(saved.body.today).toBe('Open today 9:00 AM - 9:00 PM HST');
    expect((await on(two, 'GET', '/stores/aiea/hours')).body.hours).toEqual(HOURS);
    const listed = await on(two, 'GET', '/stores');
    expect(listed.body.stores[0]).toMatchObject({ id: 'aiea', today: 'Open today 9:00 AM - 9:00 PM HST' });
    clock.advance(86_400_000);
    expect((await on(two, 'GET', '/stores')).body.stores[0].today).toBe('Closed today: Thanksgiving');
    clock.advance(-86_400_000);
  });

  it('refuses bad hours with 400 and keeps what was there', async () => {
    for (const bad of [
      { ...HOURS, weekly: { ...HOURS.weekly, mon: [{ opens: '21:00', closes: '09:00' }] } },
      { ...HOURS, exceptions: [{ from: '2026-12-01', to: '2026-11-01', label: 'x', ranges: [] }] },
      { weekly: HOURS.weekly },
    ]) {
      const res = await on(one, 'PUT', '/admin/stores/aiea/hours', bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await on(one, 'GET', '/admin/stores/aiea/hours')).body.hours).toEqual(HOURS);
  });

  it('lets only admins change hours, and answers an unknown store with 404', async () => {
    const anonymous = await call(one.url, 'PUT', '/api/admin/stores/aiea/hours', { body: HOURS });
    expect(anonymous.status).toBe(401);
    expect((await on(one, 'PUT', '/admin/stores/nowhere/hours', HOURS)).status).toBe(404);
    expect((await on(one, 'GET', '/stores/nowhere/hours')).status).toBe(404);
  });

  it('gives the demo stores valid hours with Thanksgiving closed', () => {
    const hours = storeHoursSchema.parse(demoStoreHours(2027));
    expect(hours.exceptions).toContainEqual({
      from: '2027-11-25',
      to: '2027-11-25',
      label: 'Thanksgiving',
      ranges: [],
    });
  });
});
