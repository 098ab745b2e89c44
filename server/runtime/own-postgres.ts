import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSecret } from '../../shared/ids.ts';
import { type LocalPostgres, postgresRunAs, startLocalPostgres } from './local-postgres.ts';
import { describeProcess } from './processes.ts';

const ORPHAN_STOP_TIMEOUT_MS = 30_000;

/** Where `npm start` keeps its own Postgres: `<dataDir>/postgres`, its password and its owner record. */
export interface OwnPostgresPaths {
  dataDir: string;
}

/** A refusal to start, with the sentence to print. */
export class OwnPostgresError extends Error {}

/**
 * Two postmasters never share a data directory (Postgres's own lock refuses it), but a Holdfast
 * killed with SIGKILL leaves its postgres running, holding that lock. So, as for Redis: refuse
 * while another live Holdfast owns the directory, and stop a postgres whose Holdfast is gone.
 */
async function claimDataDir(ownerFile: string): Promise<void> {
  let owner: { postgresPid: number; holdfastPid: number };
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const postgres = describeProcess(owner.postgresPid);
  if (!postgres?.name.startsWith('postgres')) return;
  if (postgres.parentPid === owner.holdfastPid) {
    throw new OwnPostgresError(
      `another Holdfast (pid ${owner.holdfastPid}) is running on .data/postgres; stop it first, or set DATABASE_URL.`,
    );
  }
  console.log(
    `Stopping postgres ${owner.postgresPid}, left running by a Holdfast that did not exit cleanly.`,
  );
  // SIGINT: Postgres's fast shutdown (rolls back what is open, keeps what is committed).
  process.kill(owner.postgresPid, 'SIGINT');
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while (describeProcess(owner.postgresPid)) {
    if (Date.now() > deadline)
      throw new OwnPostgresError(`postgres ${owner.postgresPid} did not stop; stop it by hand.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The password of the local Postgres, made on its first start and kept beside it (0600). */
function passwordOf(file: string, cluster: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (existsSync(join(cluster, 'PG_VERSION')))
    throw new OwnPostgresError(
      `${file} is missing, so the local Postgres in ${cluster} cannot be opened; restore it or set DATABASE_URL.`,
    );
  const password = newSecret(24);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Where root's machines keep the cluster when the `postgres` user cannot reach ./.data. */
const ROOT_FALLBACK_DIR = '/var/lib/holdfast';

/**
 * The cluster's directory: `<dataDir>/postgres`. As root, Postgres runs as the `postgres` user,
 * which cannot reach a checkout under a closed directory (such as /root): the cluster then goes
 * to /var/lib/holdfast/postgres-<hash of dataDir>, said once, rather than opening the directory.
 */
function clusterDirFor(dataDir: string): string {
  const owner = postgresRunAs();
  const inside = join(dataDir, 'postgres');
  if (!owner || spawnSync('test', ['-x', dataDir], { ...owner, stdio: 'ignore' }).status === 0) return inside;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const outside = join(ROOT_FALLBACK_DIR, `postgres-${hash}`);
  mkdirSync(ROOT_FALLBACK_DIR, { recursive: true, mode: 0o755 });
  console.log(
    `The postgres user cannot reach ${dataDir}: the ledger's Postgres keeps its data in ${outside}.`,
  );
  return outside;
}

/**
 * `npm start` without DATABASE_URL: a Postgres of its own, from npm, with its data in
 * `<dataDir>/postgres` (fsync on), on a free loopback port. Returns it with a `stop` that also
 * clears the owner record.
 */
export async function startOwnPostgres({ dataDir }: OwnPostgresPaths): Promise<LocalPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const cluster = clusterDirFor(dataDir);
  const ownerFile = join(dataDir, 'postgres-owner.json');
  await claimDataDir(ownerFile);
  const password = passwordOf(join(dataDir, 'postgres-password'), cluster);
  const local = await startLocalPostgres({ dir: cluster, password, fsync: true });
  writeFileSync(ownerFile, JSON.stringify({ postgresPid: local.process.pid, holdfastPid: process.pid }));
  return {
    ...local,
    async stop() {
      await local.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}
