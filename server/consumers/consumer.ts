import type { AuditEntry } from '../audit/streams.ts';
import type { Deps } from '../deps.ts';

/**
 * A consumer of the audit streams, registered like a Hocuspocus extension (STYLE.md
 * "Consumers are plugins"): a name (its Redis consumer group), the streams it reads, and an
 * idempotent handler. Reading is at least once: an entry is handed over again after a crash,
 * a failed handler or another instance's death, so the handler keys its effects on the
 * entry's stream and id. An entry is acknowledged only after its handler resolved.
 */
export interface StreamConsumer {
  /** The consumer group's name, the same on every instance (they share the work). */
  readonly name: string;
  /** The streams to read now; asked again from time to time, so new stores and events join. */
  streams(deps: Deps): Promise<string[]>;
  /** Applies a batch of one stream's entries, oldest first; rejects to have them handed over again. */
  handle(stream: string, entries: AuditEntry[]): Promise<void>;
}

/** Tuning of a running consumer; the defaults are the product's. */
export interface ConsumerOptions {
  /** Entries read per call. */
  batch?: number;
  /** How long one XREADGROUP waits for news. */
  blockMs?: number;
  /** How idle another consumer's pending entry must be before this one claims it (XAUTOCLAIM). */
  claimIdleMs?: number;
  /** How often pending entries of dead consumers are looked for. */
  claimEveryMs?: number;
  /** How often the list of streams is read again. */
  refreshStreamsMs?: number;
  /** Waits after a failed handler or read, doubling up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** This instance's name in the group; default host, pid and a random part. */
  consumerName?: string;
}

export const CONSUMER_DEFAULTS = {
  batch: 500,
  blockMs: 1_000,
  claimIdleMs: 30_000,
  claimEveryMs: 5_000,
  refreshStreamsMs: 5_000,
  retryMs: 250,
  maxRetryMs: 5_000,
} as const;
