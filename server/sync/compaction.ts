import * as Y from 'yjs';
import type { RedisClient } from '../redis/client.ts';
import { type Appended, claimCompaction, compactStoredDoc, releaseCompaction } from './doc-store.ts';

/** How long a compaction may hold its lock before another instance may try. */
const COMPACT_LOCK_MS = 30_000;

export interface CompactionOptions {
  redis: RedisClient;
  storeId: string;
  /** Compact once the log has this many entries... */
  compactAfterEntries: number;
  /** ...or this many bytes (or more bytes than the snapshot, whichever is larger). */
  compactAfterBytes: number;
  onError: (error: unknown) => void;
}

/**
 * Folds a store document's log into its snapshot when an append takes the log past the limits,
 * so the stored document stays under about twice its snapshot plus compactAfterBytes. One
 * instance at a time (a lock in Redis); the snapshot is made from this instance's copy.
 */
export class Compaction {
  private running: Promise<void> | undefined;

  constructor(private readonly options: CompactionOptions) {}

  /** Whether an append that left the log like this should fold it. */
  isDue({ logLength, logBytes, snapshotBytes }: Appended): boolean {
    const { compactAfterEntries, compactAfterBytes } = this.options;
    return logLength >= compactAfterEntries || logBytes >= Math.max(compactAfterBytes, snapshotBytes);
  }

  /**
   * Folds the log into a snapshot of `doc`, which holds every append up to `through()` (and
   * perhaps more: stored twice is harmless), both read once the lock is taken. Pending structs (an update whose dependencies have
   * not arrived) go in too, or compaction would drop them. One at a time; errors are reported.
   */
  run(doc: Y.Doc, through: () => number): Promise<void> {
    this.running ??= (async () => {
      const { redis, storeId, onError } = this.options;
      try {
        if (!(await claimCompaction(redis, storeId, COMPACT_LOCK_MS))) return;
        try {
          const upTo = through();
          await compactStoredDoc(redis, storeId, upTo, snapshotOf(doc));
        } finally {
          await releaseCompaction(redis, storeId);
        }
      } catch (error) {
        onError(error);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Resolves once a compaction under way (if any) is done. */
  async settled(): Promise<void> {
    await this.running;
  }
}

/** Everything `doc` holds, pending structs and deletions included, as one update. */
export function snapshotOf(doc: Y.Doc): Uint8Array {
  const parts = [Y.encodeStateAsUpdate(doc)];
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs) parts.push(pendingStructs.update);
  if (pendingDs) parts.push(pendingDs);
  return parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts);
}
