/**
 * Launch night (issue 10, seed 004): the launch event's next-day slots at three stores (16 slots
 * x 100 spots each, 4,800 spots) open at T0, and 20,000 distinct customers try to book, over a
 * bounded number of connections. A customer picks a slot with spots left in what their page
 * shows (one poller stands for the live counts every page gets), retries a full slot with
 * another, and gives up when the page shows every slot full. Early arrivals (before T0) are
 * refused SLOT_NOT_OPEN and retry at the opening, as the customer page's countdown would.
 *
 * T0 is the real "not open yet" rule of book.lua: the bench sets the slots' `opensAt` to a
 * few seconds ahead (the product opens them at midnight store time, which a bench cannot wait
 * for). Everything after that is the product as it runs: server/main.ts in its own process over
 * its own redis-server with appendfsync always.
 */
import { Redis } from 'ioredis';
import { addDays, dateInZone } from '../../shared/time.ts';
import { BENCH_ADMIN_TOKEN, startBenchServer } from './server-process.ts';
import { runWhenMain } from './standalone.ts';

const EVENT_ID = 'launch-night';
const STORES = ['aiea', 'honolulu', 'kapolei'];
const ZONE = 'Pacific/Honolulu';
const CUSTOMERS = 20_000;
const CONNECTIONS = 200;
const CAPACITY = 100;
/** How long before T0 the slots are set up and the early customers start arriving. */
const LEAD_MS = 3_000;
/** A quarter of the customers arrive in the 2 s before T0; the rest over 6 s after it. */
const EARLY_SHARE = 0.25;
const EARLY_WINDOW_MS = 2_000;
const LATE_WINDOW_MS = 6_000;
const VIEW_REFRESH_MS = 250;

interface Slot {
  id: string;
  remaining: number;
}

export interface LaunchResult {
  customers: number;
  spots: number;
  booked: number;
  bookingsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  serverErrors: number;
  msUntilSoldOut: number | undefined;
  overScheduledSlots: number;
  customersWithTwoBookings: number;
  /** Share of each arrival fifth (earliest first) that got a spot. */
  successByArrivalFifth: number[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function runLaunchBench(): Promise<LaunchResult> {
  const server = await startBenchServer();
  const redis = new Redis(server.redis.url);
  try {
    const adminCall = async (path: string, body: unknown) => {
      const res = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    };
    const date = addDays(dateInZone(Date.now(), ZONE), 1);
    await adminCall('/api/admin/events', { id: EVENT_ID, name: 'Launch night' });
    await adminCall(`/api/admin/events/${EVENT_ID}/slots`, {
      storeIds: STORES,
      firstDate: date,
      days: 1,
      dayStart: '09:00',
      dayEnd: '17:00',
      capacity: CAPACITY,
    });
    const slotKeys = await redis.keys(`{ev:${EVENT_ID}}:slot:*`);
    const t0 = Date.now() + LEAD_MS;
    for (const key of slotKeys) await redis.hset(key, 'opensAt', t0);
    const spots = slotKeys.length * CAPACITY;

    // What every customer's page shows: the live counts (SSE on the real page).
    let view: Slot[] = [];
    const refreshView = async () => {
      const res = await fetch(`${server.base}/api/events/${EVENT_ID}/slots?date=${date}`);
      const body = (await res.json()) as { slots: Slot[] };
      view = body.slots.map(({ id, remaining }) => ({ id, remaining }));
    };
    await refreshView();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await new Promise((r) => setTimeout(r, VIEW_REFRESH_MS));
        await refreshView().catch(() => undefined);
      }
    })();

    const arrivals = Array.from({ length: CUSTOMERS }, (_, i) =>
      i < CUSTOMERS * EARLY_SHARE
        ? t0 - Math.random() * EARLY_WINDOW_MS
        : t0 + Math.random() * LATE_WINDOW_MS,
    );
    const order = arrivals.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at);
    const got = new Array<boolean>(CUSTOMERS).fill(false);
    const latencies: number[] = [];
    let serverErrors = 0;
    let lastBookingAt = 0;
    let next = 0;

    const book = async (customer: number, slotId: string) => {
      const started = performance.now();
      const res = await fetch(`${server.base}/api/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `launch-${customer}-${slotId}` },
        body: JSON.stringify({
          slotId,
          customer: { name: `Customer ${customer}`, email: `c${customer}@example.com` },
        }),
      });
      const body = (await res.json()) as { code?: string; details?: { opensAt?: number } };
      latencies.push(performance.now() - started);
      if (res.status >= 500) serverErrors += 1;
      return { status: res.status, body };
    };

    const serve = async (customer: number) => {
      const seenFull = new Set<string>();
      for (let attempt = 0; attempt < 200; attempt++) {
        const open = view.filter((s) => s.remaining > 0 && !seenFull.has(s.id));
        const choice = open[Math.floor(Math.random() * open.length)];
        if (!choice) return;
        const { status, body } = await book(customer, choice.id);
        if (status === 201) {
          got[customer] = true;
          lastBookingAt = Date.now();
          return;
        }
        if (body.code === 'SLOT_NOT_OPEN') {
          await new Promise((r) => setTimeout(r, Math.max(0, (body.details?.opensAt ?? t0) - Date.now())));
        } else if (body.code === 'SLOT_FULL') seenFull.add(choice.id);
        else if (status < 500) return;
      }
    };

    const worker = async () => {
      for (;;) {
        const item = order[next];
        next += 1;
        if (!item) return;
        const wait = item.at - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await serve(item.i);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    polling = false;
    await poller;

    // Seat by seat, from Redis: no slot has more bookings than seats, no customer two bookings.
    const bookingIds = (
      await Promise.all(STORES.map((s) => redis.zrange(`{ev:${EVENT_ID}}:bookings:${s}`, '0', '-1')))
    ).flat();
    const pipeline = redis.pipeline();
    for (const id of bookingIds)
      pipeline.hmget(`{ev:${EVENT_ID}}:bk:${id}`, 'slotId', 'customerKey', 'status');
    const rows = ((await pipeline.exec()) ?? []).map(([, v]) => v as [string, string, string]);
    const perSlot = new Map<string, number>();
    const perCustomer = new Map<string, number>();
    for (const [slotId, customerKey, status] of rows) {
      if (status !== 'booked') continue;
      perSlot.set(slotId, (perSlot.get(slotId) ?? 0) + 1);
      perCustomer.set(customerKey, (perCustomer.get(customerKey) ?? 0) + 1);
    }
    let overScheduledSlots = 0;
    for (const key of slotKeys) {
      const [id, booked, capacity] = await redis.hmget(key, 'id', 'booked', 'capacity');
      const seats = perSlot.get(id ?? '') ?? 0;
      if (seats > Number(capacity) || Number(booked) !== seats) overScheduledSlots += 1;
    }
    const booked = [...perSlot.values()].reduce((a, b) => a + b, 0);
    const fifths = [0, 1, 2, 3, 4].map((f) => {
      const slice = order.slice((f * CUSTOMERS) / 5, ((f + 1) * CUSTOMERS) / 5);
      return slice.filter(({ i }) => got[i]).length / slice.length;
    });
    const sorted = [...latencies].sort((a, b) => a - b);
    const soldOut = booked === spots;
    return {
      customers: CUSTOMERS,
      spots,
      booked,
      bookingsPerSecond: Math.round(booked / Math.max(0.001, (lastBookingAt - t0) / 1000)),
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      requests: latencies.length,
      serverErrors,
      msUntilSoldOut: soldOut ? lastBookingAt - t0 : undefined,
      overScheduledSlots,
      customersWithTwoBookings: [...perCustomer.values()].filter((n) => n > 1).length,
      successByArrivalFifth: fifths.map((s) => Math.round(s * 1000) / 1000),
    };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

runWhenMain(import.meta.url, runLaunchBench, 1);
