/**
 * Where Redis spends its time on a hold (issue 10, section 1), from Redis's own accounting
 * (`INFO commandstats`, microseconds inside each command, no network or AOF):
 * - the one-key trivial script, the prelude alone run by EVALSHA, and the prelude as a Redis 7
 *   FUNCTION library (FUNCTION LOAD once, FCALL): what re-creating the helpers costs per call;
 * - the real create-hold script (server/stock/holds.ts createHold, no HTTP): its time per call
 *   and how many Redis commands it runs inside.
 */
import { readFileSync } from 'node:fs';
import { testConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { importProducts } from '../../server/stock/catalog.ts';
import { createHold } from '../../server/stock/holds.ts';
import { upsertStore } from '../../server/stores/stores.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { runWhenMain } from './standalone.ts';

const CALLS = 5_000;
const CONCURRENCY = 50;
/** The script's cost varies by several µs from one batch to the next on a shared VM: the figure is the median of these rounds. */
const ROUNDS = 7;

export interface ScriptCost {
  trivialUs: number;
  preludeEvalUs: number;
  preludeFunctionUs: number;
  /** The median of ROUNDS rounds of CALLS holds. */
  createHoldUs: number;
  /** The fastest and the slowest round. */
  createHoldRangeUs: [number, number];
  commandsPerHold: number;
  /**
   * Redis's own CPU time per call (utime + stime from /proc, over every round), which time spent
   * waiting for a core does not inflate as it does the durations above; it includes reading the
   * call and writing the answer. For a hold, and for the trivial script called the same way.
   */
  createHoldCpuUs: number;
  trivialCpuUs: number;
  /** Of createHoldUs, the time inside the commands themselves; the rest is Lua and its bridge to Redis. */
  commandsUsPerHold: number;
}

function stat(info: string, command: string): { calls: number; usec: number } {
  const line = info.split('\n').find((l) => l.startsWith(`cmdstat_${command}:`)) ?? '';
  return {
    calls: Number(/calls=(\d+)/.exec(line)?.[1] ?? 0),
    usec: Number(/usec=(\d+)/.exec(line)?.[1] ?? 0),
  };
}

/** CPU seconds a process has used so far (Linux /proc; utime + stime in ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function inBatches(run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < CALLS / CONCURRENCY; i++) await Promise.all(Array.from({ length: CONCURRENCY }, run));
}

export async function runRedisScriptCostBench(): Promise<ScriptCost> {
  const redis = await startTestRedis();
  const db = redis.client();

  try {
    const prelude = readFileSync(new URL('../../server/redis/prelude.lua', import.meta.url), 'utf8');
    const perCall = async (command: string, run: () => Promise<unknown>) => {
      await db.config('RESETSTAT');
      await inBatches(run);
      const { calls, usec } = stat(await db.info('commandstats'), command);
      return Math.round((usec / Math.max(1, calls)) * 100) / 100;
    };
    const trivial = (await db.script('LOAD', 'return 1')) as string;
    const withPrelude = (await db.script(
      'LOAD',
      `local K = { idem = KEYS[1] }\n${prelude}\nreturn 1`,
    )) as string;
    await db.call(
      'FUNCTION',
      'LOAD',
      'REPLACE',
      `#!lua name=holdfast_cost\nlocal K = {}\n${prelude}\nredis.register_function('prelude_only', function(keys) K = { idem = keys[1] } return 1 end)`,
    );
    const trivialUs = await perCall('evalsha', () => db.evalsha(trivial, 1, '{t}:a'));
    const redisPid = redis.server.process.pid ?? 0;
    const cpuBefore = cpuSeconds(redisPid);
    for (let round = 0; round < ROUNDS; round++) await inBatches(() => db.evalsha(trivial, 1, '{t}:a'));
    const trivialCpuUs = ((cpuSeconds(redisPid) - cpuBefore) * 1e6) / (ROUNDS * CALLS);
    const preludeEvalUs = await perCall('evalsha', () => db.evalsha(withPrelude, 1, '{t}:a'));
    const preludeFunctionUs = await perCall('fcall', () => db.call('FCALL', 'prelude_only', 1, '{t}:a'));

    const deps = createDeps(db, testConfig());
    await upsertStore(deps, {
      id: 'aiea',
      name: 'Aiea',
      address: '1 Main St',
      phone: '808-555-0100',
      timeZone: 'Pacific/Honolulu',
      latitude: 21.38,
      longitude: -157.93,
    });
    const actor = { role: 'admin' } as const;
    await importProducts(
      deps,
      'aiea',
      [{ sku: 'KIT', name: 'Kit', category: 'Bench', priceLabel: '$1', onHand: 10 * CALLS * ROUNDS }],
      {
        idempotencyKey: 'cost-import',
        payloadHash: 'cost-import',
        actor,
      },
    );
    let n = 0;
    const hold = () => {
      n += 1;
      return createHold(
        deps,
        { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: { name: `C${n}`, email: `c${n}@example.com` } },
        { idempotencyKey: `cost-${n}`, payloadHash: `cost-${n}`, actor },
      );
    };
    const rounds: { scriptUs: number; commands: number; commandsUs: number }[] = [];
    const holdCpuBefore = cpuSeconds(redisPid);
    for (let round = 0; round < ROUNDS; round++) {
      await db.config('RESETSTAT');
      await inBatches(hold);
      const info = await db.info('commandstats');
      const script = stat(info, 'evalsha');
      const inner = info
        .split('\n')
        .filter((l) => l.startsWith('cmdstat_') && !/cmdstat_(evalsha|eval|config|info):/.test(l));
      const total = (field: 'calls' | 'usec') =>
        inner.reduce((sum, l) => sum + Number(new RegExp(`${field}=(\\d+)`).exec(l)?.[1] ?? 0), 0);
      rounds.push({
        scriptUs: script.usec / Math.max(1, script.calls),
        commands: total('calls') / CALLS,
        commandsUs: total('usec') / CALLS,
      });
    }
    // Each round's RESETSTAT, INFO and CONFIG are a few calls against thousands of holds.
    const createHoldCpuUs = ((cpuSeconds(redisPid) - holdCpuBefore) * 1e6) / (ROUNDS * CALLS);
    rounds.sort((a, b) => a.scriptUs - b.scriptUs);
    const median = rounds[Math.floor(ROUNDS / 2)] ?? { scriptUs: 0, commands: 0, commandsUs: 0 };
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      trivialUs,
      preludeEvalUs,
      preludeFunctionUs,
      createHoldUs: round2(median.scriptUs),
      createHoldRangeUs: [round2(rounds[0]?.scriptUs ?? 0), round2(rounds.at(-1)?.scriptUs ?? 0)],
      createHoldCpuUs: round2(createHoldCpuUs),
      trivialCpuUs: round2(trivialCpuUs),
      commandsPerHold: Math.round(median.commands * 10) / 10,
      commandsUsPerHold: round2(median.commandsUs),
    };
  } finally {
    await redis.stop();
  }
}

runWhenMain(import.meta.url, runRedisScriptCostBench);
