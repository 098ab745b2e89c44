import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const MAIN = join(process.cwd(), 'server/main.ts');
const ADMIN_TOKEN = 'an-admin-token-for-this-test';

let redis: TestRedis;
let main: ChildProcess | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  if (main?.exitCode === null) main.kill('SIGKILL');
  await redis?.stop();
});

/** One request on a connection of its own, so the primary hands each to the next worker. */
function getOnNewConnection(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function isRunning(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('npm start with WORKERS=2', () => {
  it('answers from both workers on one port, gathers /metrics from both, and stops them all on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, PORT: '0', ADMIN_TOKEN, WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    main = child;
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitUntil(
      async () => output,
      (out) => out.includes('Stop with') || child.exitCode !== null,
      60_000,
    );
    expect(output).toContain('Holdfast is running (2 workers)');
    const base = /API\s+(http:\/\/localhost:\d+)/.exec(output)?.[1];
    expect(base, output).toBeDefined();
    for (const door of ['customer site', 'admin console', 'staff app', 'API doc'])
      expect(output).toContain(door);

    const requests = 10;
    for (let i = 0; i < requests; i++) {
      const answer = await getOnNewConnection(`${base}/api/stores`, { 'x-request-id': `cluster-test-${i}` });
      expect(answer.status).toBe(200);
    }
    // Each worker logs the requests it answered, with its pid.
    const lines = await waitUntil(
      async () =>
        output
          .split('\n')
          .filter((line) => line.includes('"reqId":"cluster-test-'))
          .map((line) => JSON.parse(line) as { pid: number; route: string }),
      (found) => found.length === requests,
    );
    const workers = [...new Set(lines.map((line) => line.pid))];
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(child.pid);
    expect(lines.every((line) => line.route === '/api/stores')).toBe(true);

    // Whichever worker is asked, /metrics counts every worker's requests.
    for (let i = 0; i < 2; i++) {
      const scrape = await getOnNewConnection(`${base}/metrics`, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(scrape.status).toBe(200);
      const counted =
        /^http_request_duration_seconds_count\{method="GET",route="\/api\/stores",status="200"\} (\d+)$/m.exec(
          scrape.body,
        );
      expect(Number(counted?.[1])).toBe(requests);
      expect(scrape.body).toMatch(/^holdfast_redis_up 1$/m);
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(isRunning(pid)).toBe(false);
  }, 90_000);
});
