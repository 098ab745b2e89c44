import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { installMissing, REDIS_SERVER } from './system-packages.ts';

export interface LocalRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface LocalRedisOptions {
  dir: string;
  port?: number;
  /** `always` is the product default (an acknowledged reservation survives a crash). */
  appendfsync?: 'always' | 'everysec';
  /** More redis-server arguments (e.g. a cluster node's). */
  extraArgs?: readonly string[];
  /**
   * Its own process group, so Ctrl+C (SIGINT to the terminal's group) reaches Holdfast only,
   * which stops Redis last, after its own connections have closed.
   */
  ownProcessGroup?: boolean;
}

/**
 * Makes sure `redis-server` is on PATH: installs it from the system's packages where this
 * machine allows (root or passwordless sudo, apt-get), saying so in one line. Returns undefined
 * when it is there, else what to tell the person: the one command to run, or REDIS_URL.
 */
export function ensureRedisServer(say: (line: string) => void): string | undefined {
  const result = installMissing([REDIS_SERVER], say);
  if (result.ok) return undefined;
  return [
    `No redis-server was found on PATH, and it cannot be installed from here (${result.why}).`,
    `Install it with: ${result.command}`,
    'or point Holdfast at a running Redis with REDIS_URL=redis://host:port.',
  ].join('\n');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` as a child process with AOF on and no eviction, on loopback only,
 * and resolves once it accepts commands.
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  mkdirSync(options.dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      options.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      options.appendfsync ?? 'always',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup ?? false },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await waitUntilReady(port, child, () => output);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilReady(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const { Redis } = await import('ioredis');
  const deadline = Date.now() + 10_000;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${output()}`);
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Refused connections are expected until the server listens; connect() rejects with them too.
    probe.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch (error) {
      lastError = error as Error;
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not become ready (${lastError?.message}):\n${output()}`);
}
