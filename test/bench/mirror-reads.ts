/**
 * Redis commands the tablets' store projection costs per booking (issue 11: "the mirror's
 * Redis reads per booking, before and after"). The same N bookings are made twice against one
 * server: first with no tablet connected (no store document open, so no projection runs), then
 * with one tablet connected; the difference in Redis's own command count is the projection's.
 */
import type { Redis } from 'ioredis';
import { addDays, dateInZone } from '../../shared/time.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { connectDoc } from '../helpers/tablet-client.ts';
import { runWhenMain } from './standalone.ts';

const BOOKINGS = 100;
const ZONE = 'Pacific/Honolulu';

export interface MirrorReadsResult {
  bookings: number;
  commandsWithoutTablet: number;
  commandsWithTablet: number;
  projectionCommandsPerBooking: number;
  /** The projection's calls per booking, by command. */
  perBooking: Record<string, number>;
}

/** Redis's own count of calls, per command. */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const counts = new Map<string, number>();
  for (const match of info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g))
    counts.set(match[1] ?? '', Number(match[2]));
  return counts;
}

function difference(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const diff = new Map<string, number>();
  for (const [command, calls] of after) {
    const d = calls - (before.get(command) ?? 0);
    if (d > 0) diff.set(command, d);
  }
  return diff;
}

const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

export async function runMirrorReadsBench(): Promise<MirrorReadsResult> {
  const redis = await startTestRedis();
  const server = await startTestServer(redis);
  const admin = redis.client();
  try {
    const put = await call(server.url, 'PUT', '/api/admin/stores/aiea', {
      token: TEST_ADMIN_TOKEN,
      body: {
        id: 'aiea',
        name: 'Aiea',
        address: '1 Test St',
        phone: '808-555-0100',
        timeZone: ZONE,
        latitude: 21.38,
        longitude: -157.93,
      },
    });
    if (put.status !== 200) throw new Error(`store: ${put.status} ${JSON.stringify(put.body)}`);
    await call(server.url, 'POST', '/api/admin/events', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'launch', name: 'Launch' },
    });
    const date = addDays(dateInZone(Date.now(), ZONE), 1);
    await call(server.url, 'POST', '/api/admin/events/launch/slots', {
      token: TEST_ADMIN_TOKEN,
      body: {
        storeIds: ['aiea'],
        firstDate: date,
        days: 1,
        dayStart: '09:00',
        dayEnd: '17:00',
        capacity: 1000,
      },
    });
    const slotId = `launch.aiea.${date.replaceAll('-', '')}0900`;
    let n = 0;
    const book = async () => {
      n += 1;
      const res = await call(server.url, 'POST', '/api/bookings', {
        idempotencyKey: newKey('bench-book'),
        body: { slotId, customer: { name: `Customer ${n}`, email: `c${n}@example.com` } },
      });
      if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
      // Give the projection its turn, as a booking at a time would.
      await new Promise((r) => setTimeout(r, 40));
    };
    const measure = async () => {
      const before = await commandCounts(admin);
      for (let i = 0; i < BOOKINGS; i++) await book();
      return difference(await commandCounts(admin), before);
    };
    const without = await measure();
    const code = await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', {
      token: TEST_ADMIN_TOKEN,
    });
    const enrolled = await call(server.url, 'POST', '/api/enroll', {
      body: { code: code.body.code, deviceName: 'T' },
    });
    const tablet = connectDoc(server.url, 'aiea', enrolled.body.credential);
    await tablet.synced;
    await new Promise((r) => setTimeout(r, 200));
    const withTablet = await measure();
    tablet.close();
    const perBooking: Record<string, number> = {};
    for (const [command, calls] of difference(withTablet, without)) perBooking[command] = calls / BOOKINGS;
    return {
      bookings: BOOKINGS,
      commandsWithoutTablet: sum(without),
      commandsWithTablet: sum(withTablet),
      projectionCommandsPerBooking: (sum(withTablet) - sum(without)) / BOOKINGS,
      perBooking,
    };
  } finally {
    await server.close();
    await redis.stop();
  }
}

runWhenMain(import.meta.url, runMirrorReadsBench);
