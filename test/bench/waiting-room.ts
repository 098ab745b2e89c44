/**
 * The waiting room's own overhead per customer (issue 10 §3): what joining the line and being
 * admitted cost Redis and the server, apart from the booking itself. N customers join before
 * T0 (the join script plus the read of the new place), then the admission step runs once a
 * (test-clock) second at 60,000 a minute until the line is empty. Measured in-process over a
 * redis-server with `appendfsync always`, through the same functions the routes call; HTTP costs
 * what any public write costs and is left out. The booking's ticket check adds two reads and
 * one write inside book.lua.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createEvent, generateSlots } from '../../server/appointments/events.ts';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { startLocalRedis } from '../../server/redis/local-redis.ts';
import { upsertStore } from '../../server/stock/stores.ts';
import { admitWaiting, configureWaitingRoom, joinWaitingRoom } from '../../server/waiting-room/room.ts';
import { addDays, dateInZone, slotOpensAt } from '../../shared/time.ts';

const CUSTOMERS = 10_000;
const CONCURRENCY = 50;
const PER_MINUTE = 60_000;
const EVENT_ID = 'room-bench';

export interface WaitingRoomResult {
  customers: number;
  /** Redis commands per customer (join + admit), counting those run inside the scripts. */
  commandsPerCustomer: number;
  /** Script calls per customer (EVALSHA). */
  scriptsPerCustomer: number;
  /** redis-server CPU (user + system) per customer, µs. */
  redisCpuUsPerCustomer: number;
  /** Server-side (this process) CPU per join, µs. */
  serverCpuUsPerJoin: number;
  joinsPerSecond: number;
  /** Admission steps taken and the longest one, ms (1,000 customers per step). */
  admitSteps: number;
  longestAdmitStepMs: number;
}

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g))
    counts.set(m[1] ?? '', Number(m[2]));
  return counts;
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}

export async function runWaitingRoomBench(): Promise<WaitingRoomResult> {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-room-bench-'));
  const local = await startLocalRedis({ dir, appendfsync: 'always' });
  const redis = new Redis(local.url);
  const probe = new Redis(local.url);
  let at = Date.now();
  const deps = createDeps(redis, testConfig(), { clock: { now: () => at } });
  try {
    // The room opens at a release (issue 16 §1): a day whose slots open a minute from `at`.
    const timeZone = 'Pacific/Honolulu';
    const releaseDate = addDays(dateInZone(at, timeZone), 2);
    const opensAt = slotOpensAt(releaseDate, timeZone);
    at = opensAt - 60_000;
    await upsertStore(deps, {
      id: 'bench',
      name: 'Bench',
      address: '1 Bench St',
      phone: '808-555-0100',
      timeZone,
      latitude: 21.3,
      longitude: -157.85,
    });
    await createEvent(deps, { id: EVENT_ID, name: 'Room bench' });
    await generateSlots(deps, {
      eventId: EVENT_ID,
      storeIds: ['bench'],
      firstDate: releaseDate,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      capacity: 10,
    });
    await configureWaitingRoom(
      deps,
      EVENT_ID,
      { enabled: true, admissionsPerMinute: PER_MINUTE, ticketMinutes: 10, opensAt },
      { role: 'admin' },
    );
    const callsBefore = await commandCalls(probe);
    const cpuBefore = await redisCpuSeconds(probe);
    const serverBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      for (let n = next++; n < CUSTOMERS; n = next++) {
        const ctx = {
          idempotencyKey: `join-${n}`,
          payloadHash: `h${n}`,
          actor: { role: 'customer', client: `c${n}` },
        } as const;
        const joined = await joinWaitingRoom(
          deps,
          EVENT_ID,
          { name: `Customer ${n}`, email: `c${n}@example.com` },
          `10.0.${n >> 8}.${n & 255}`,
          ctx,
        );
        if (!joined.ok) throw new Error(`join ${n} refused: ${joined.code}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const joinMs = performance.now() - started;
    const serverCpu = process.cpuUsage(serverBefore);

    at = opensAt;
    let admitted = 0;
    let steps = 0;
    let longest = 0;
    while (admitted < CUSTOMERS && steps < 1_000) {
      const t = performance.now();
      admitted += (await admitWaiting(deps, EVENT_ID)).admitted;
      longest = Math.max(longest, performance.now() - t);
      steps += 1;
      at += 1_000;
    }
    if (admitted !== CUSTOMERS) throw new Error(`admitted ${admitted} of ${CUSTOMERS}`);
    const callsAfter = await commandCalls(probe);
    const cpu = (await redisCpuSeconds(probe)) - cpuBefore;
    let commands = 0;
    for (const [command, calls] of callsAfter) {
      // The probe's own INFO calls are not the room's.
      if (command !== 'info') commands += calls - (callsBefore.get(command) ?? 0);
    }
    const scripts = (callsAfter.get('evalsha') ?? 0) - (callsBefore.get('evalsha') ?? 0);
    return {
      customers: CUSTOMERS,
      commandsPerCustomer: commands / CUSTOMERS,
      scriptsPerCustomer: scripts / CUSTOMERS,
      redisCpuUsPerCustomer: (cpu * 1e6) / CUSTOMERS,
      serverCpuUsPerJoin: (serverCpu.user + serverCpu.system) / CUSTOMERS,
      joinsPerSecond: Math.round((CUSTOMERS / joinMs) * 1000),
      admitSteps: steps,
      longestAdmitStepMs: Math.round(longest * 10) / 10,
    };
  } finally {
    await deps.hub.close();
    redis.disconnect();
    probe.disconnect();
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
