import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { storeKeys } from '../../server/stock/keys.ts';
import { parseStockRecord } from '../../server/stock/stock-record.ts';
import { BENCH_ADMIN_TOKEN, startBenchServer, startFloorServer } from './server-process.ts';

const CONNECTIONS = 100;
const DURATION_S = 10;
const WARMUP_S = 2;
const WARM_SKUS = 100;
const PLENTY_SKUS = 1000;
const PLENTY_UNITS = 1000;
const SCARCE_UNITS = 500;
const SCARCE_REQUESTS = 5000;

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  total: number;
  /** Connection errors and timeouts: a request may then have reached the server unanswered. */
  errors: number;
}

function figures(result: autocannon.Result): LoadFigures {
  return {
    // Answers over wall time, not autocannon's mean of per-second samples, which a run that
    // ends mid-second (a fixed number of requests) would understate.
    requestsPerSecond: Math.round(result.requests.total / Math.max(result.duration, 0.01)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
  };
}

async function admin(base: string, method: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-import-${Date.now()}`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** CPU seconds a process has used so far (Linux /proc; utime + stime in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs a load and measures the CPU per request of the server, Redis and the load generator. */
async function measured(run: () => Promise<autocannon.Result>, serverPid: number, redisPid: number) {
  const before = [cpuSeconds(serverPid), cpuSeconds(redisPid), cpuSeconds(process.pid)];
  const result = await run();
  const total = Math.max(1, result.requests.total);
  const perRequest = (i: number, pid: number) =>
    Math.round(((cpuSeconds(pid) - (before[i] ?? 0)) * 1e6) / total);
  return {
    ...figures(result),
    serverCpuUsPerRequest: perRequest(0, serverPid),
    redisCpuUsPerRequest: perRequest(1, redisPid),
    loadCpuUsPerRequest: perRequest(2, process.pid),
  };
}

let sequence = 0;
function holdRequest(sku: () => string, onCreated: (sku: string) => void): autocannon.Request {
  return {
    method: 'POST',
    path: '/api/holds',
    setupRequest: (req) => {
      sequence += 1;
      const body = {
        storeId: 'aiea',
        sku: sku(),
        quantity: 1,
        customer: { name: `B${sequence}`, email: `b${sequence}@example.com` },
      };
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `bench-${process.pid}-${sequence}`,
        },
        body: JSON.stringify(body),
      };
    },
    onResponse: (status, body) => {
      if (status === 201) onCreated((JSON.parse(body) as { sku: string }).sku);
    },
  };
}

/**
 * The HTTP figures of issue 2: holds/s and latency at 100 connections, the same for a trivial
 * endpoint of the same server, the Lua script ceiling through redis-benchmark, and an oversell
 * check. The server runs as its own process (as in production), apart from the load generator.
 */
export async function runHttpBench(log: (line: string) => void) {
  const bench = await startBenchServer();
  const { base, redis: redisServer } = bench;
  try {
    const products = Array.from({ length: PLENTY_SKUS }, (_, i) => ({
      sku: `BENCH-${i}`,
      name: `Bench ${i}`,
      onHand: PLENTY_UNITS,
    }));
    for (let i = 0; i < WARM_SKUS; i++)
      products.push({ sku: `WARM-${i}`, name: `Warm ${i}`, onHand: PLENTY_UNITS });
    products.push({ sku: 'BENCH-SCARCE', name: 'Scarce', onHand: SCARCE_UNITS });
    await admin(base, 'POST', '/api/admin/stores/aiea/products', { products });
    log(
      `server ${base}, ${PLENTY_SKUS} products × ${PLENTY_UNITS} units (+${WARM_SKUS} for the warm-up), ${CONNECTIONS} connections, ${DURATION_S} s per run`,
    );

    await autocannon({ url: `${base}/api/health`, connections: CONNECTIONS, duration: WARMUP_S }); // warm-up
    const serverPid = bench.pid;
    const redisPid = redisServer.process.pid ?? 0;
    const trivial = await measured(
      () => autocannon({ url: `${base}/api/health`, connections: CONNECTIONS, duration: DURATION_S }),
      serverPid,
      redisPid,
    );

    // The same stack doing only what every hold must: what the hold's extra CPU is measured against.
    const floorServer = await startFloorServer(redisServer.url);
    const floorBody = JSON.stringify({
      storeId: 'aiea',
      sku: 'BENCH-0',
      quantity: 1,
      customer: { name: 'B0', email: 'b0@example.com' },
    });
    const floorRun = (duration = DURATION_S) =>
      autocannon({
        url: `${floorServer.base}/floor`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: floorBody,
        connections: CONNECTIONS,
        duration,
      });
    let floor: Awaited<ReturnType<typeof measured>>;
    try {
      await floorRun(WARMUP_S);
      floor = await measured(() => floorRun(), floorServer.pid, redisPid);
    } finally {
      await floorServer.stop();
    }

    const created = new Map<string, number>();
    const count = (sku: string) => created.set(sku, (created.get(sku) ?? 0) + 1);
    // A timed run stops with requests in flight whose answers are never read, so the measured
    // hold run is a fixed number of requests (about DURATION_S at the warm-up's rate): every
    // answer is read, and the 201s can be compared with the units held exactly.
    let warmNext = 0;
    const warm = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: WARMUP_S,
      requests: [
        holdRequest(
          () => `WARM-${warmNext++ % WARM_SKUS}`,
          () => undefined,
        ),
      ],
    });
    const amount = Math.min(
      PLENTY_SKUS * PLENTY_UNITS,
      Math.max(10 * CONNECTIONS, Math.round((warm.requests.total / warm.duration) * DURATION_S)),
    );
    let next = 0;
    const holds = await measured(
      () =>
        autocannon({
          url: base,
          connections: CONNECTIONS,
          amount,
          requests: [holdRequest(() => `BENCH-${next++ % PLENTY_SKUS}`, count)],
        }),
      serverPid,
      redisPid,
    );
    const scarce = figures(
      await autocannon({
        url: base,
        connections: CONNECTIONS,
        amount: SCARCE_REQUESTS,
        requests: [holdRequest(() => 'BENCH-SCARCE', count)],
      }),
    );

    const redis = new Redis(redisServer.url);
    const records = await redis.hgetall(storeKeys('aiea').stock);
    const stockOf = (sku: string) => parseStockRecord(records[sku]);
    let oversold = 0;
    for (const { sku } of products) {
      const { onHand, held, leased } = stockOf(sku);
      oversold += Math.max(0, held + leased - onHand);
    }
    // Each 201 of the measured run is one unit held, product by product, and nothing else was held.
    let holdsCreated = 0;
    let holdsHeld = 0;
    let mismatchedSkus = 0;
    for (let i = 0; i < PLENTY_SKUS; i++) {
      const sku = `BENCH-${i}`;
      const answered = created.get(sku) ?? 0;
      const units = stockOf(sku).held;
      holdsCreated += answered;
      holdsHeld += units;
      if (answered !== units) mismatchedSkus += 1;
    }
    const scarceCreated = created.get('BENCH-SCARCE') ?? 0;
    const scarceHeld = stockOf('BENCH-SCARCE').held;

    // Raw Lua throughput on the same Redis: one-key decrement, 50 clients.
    const sha = (await redis.script('LOAD', "return redis.call('DECRBY', KEYS[1], 1)")) as string;
    await redis.set('{bench}:counter', 1e12);
    const luaRate = (pipeline: number) => {
      const run = spawnSync(
        'redis-benchmark',
        [
          '-p',
          String(redisServer.port),
          '-c',
          '50',
          '-n',
          '200000',
          '-P',
          String(pipeline),
          '-q',
          'EVALSHA',
          sha,
          '1',
          '{bench}:counter',
        ],
        { encoding: 'utf8' },
      );
      const match = /([\d.]+) requests per second/.exec(run.stdout);
      return match?.[1] ? Math.round(Number(match[1])) : Number.NaN;
    };
    const lua1 = luaRate(1);
    const lua16 = luaRate(16);
    await redis.quit();
    return {
      trivial,
      floor,
      holds,
      scarce,
      scarceCreated,
      scarceHeld,
      scarceUnits: SCARCE_UNITS,
      holdsCreated,
      holdsHeld,
      mismatchedSkus,
      oversold,
      lua1,
      lua16,
    };
  } finally {
    await bench.stop();
  }
}
