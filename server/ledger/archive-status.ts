import type { Deps } from '../deps.ts';
import type { ReadinessPart } from '../observability/readiness.ts';
import { readArchiveLag } from './archiver.ts';

/** The ledger as the operator sees it: whether Postgres answers, and how far the archive is behind Redis. */
export interface ArchiveStatus {
  /** `off`: this instance has no ledger (only in tests and tools). */
  ledger: 'ok' | 'unreachable' | 'off';
  /** Entries in Redis not yet in the ledger. */
  behindEntries: number;
  /** Age of the oldest of them, in seconds. */
  behindSeconds: number;
}

/** Never throws for a ledger outage: that is what it reports. */
export async function readArchiveStatus(deps: Deps): Promise<ArchiveStatus> {
  const [reachable, lag] = await Promise.all([deps.ledger?.ping(), readArchiveLag(deps)]);
  return {
    ledger: reachable === undefined ? 'off' : reachable ? 'ok' : 'unreachable',
    behindEntries: lag.entries,
    behindSeconds: lag.seconds,
  };
}

/**
 * The ledger and the archive's backlog as one part of GET /api/ready: reported, never
 * required, since a ledger outage must not stop sales (Redis keeps the entries meanwhile).
 */
export function archiveReadiness(deps: Deps): ReadinessPart {
  return {
    name: 'archive',
    required: false,
    async read() {
      const status = await readArchiveStatus(deps);
      return { ok: status.ledger !== 'unreachable', ...status };
    },
  };
}
