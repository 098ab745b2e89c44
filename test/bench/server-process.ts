import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRedis, startLocalRedis } from '../../server/runtime/local-redis.ts';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export interface BenchServer {
  /** http://localhost:<port> of the server process. */
  base: string;
  /** The server process, for its CPU and memory. */
  pid: number;
  redis: LocalRedis;
  stop(): Promise<void>;
}

/**
 * The product as it runs: `server/main.ts` in its own process (apart from the load
 * generator) over its own redis-server with `appendfsync always`, rate limits off; `env` adds
 * to or overrides its environment.
 */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'holdfast-bench-'));
  const redis = await startLocalRedis({ dir, appendfsync: 'always' });
  // BENCH_CPU_PROF=<dir> writes the server's CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const server = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PER_IDENTITY_PER_MINUTE: '0',
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      // One process, whose CPU is the figure (npm start forks one worker per core).
      WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk) => {
        out += chunk;
        const match = /API\s+(http:\/\/localhost:\d+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      server.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    });
    return { base, pid: server.pid ?? 0, redis, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * test/bench/floor-server.ts in its own process over `redisUrl`: the same HTTP stack doing the
 * least a hold must (a JSON body, one script call of a hold's size, a JSON answer).
 */
export async function startFloorServer(
  redisUrl: string,
): Promise<{ base: string; pid: number; stop(): Promise<void> }> {
  const floor = spawn(process.execPath, ['--import', 'tsx', 'test/bench/floor-server.ts'], {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (floor.exitCode !== null) return;
    floor.kill('SIGTERM');
    await new Promise((r) => floor.once('exit', r));
  };
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    floor.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /FLOOR (http:\/\/localhost:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    floor.once('exit', (code) => reject(new Error(`floor server exited (${code}):\n${out}`)));
  });
  return { base, pid: floor.pid ?? 0, stop };
}
