import type { Deps } from '../deps.ts';
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
