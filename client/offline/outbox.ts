import { ERROR_MESSAGES, type ErrorBody, isErrorCode } from '../../shared/errors.ts';
import { newUlid } from '../../shared/ids.ts';
import type { OutboxEntry, TabletDb } from './db.ts';

type OutboxErrorCode = NonNullable<OutboxEntry['error']>['code'];

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

/** The part of `fetch` the outbox needs; tests pass the real fetch against a real server. */
export type Send = (entry: OutboxEntry) => Promise<{ status: number; body: unknown }>;

export type OutboxEvent =
  | { type: 'sent'; entry: OutboxEntry; body: unknown }
  | { type: 'failed'; entry: OutboxEntry }
  | { type: 'revoked' };

/** Retry delay after `attempts` failures: exponential, capped, with full jitter in [½, 1]. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** What a person did: the command for the server, in their words, and what it means for the lease. */
export type NewAction = Pick<OutboxEntry, 'command' | 'label' | 'leaseUse' | 'leaseBy' | 'seenAvailable'>;

/**
 * Everything a person does goes through here: stored in IndexedDB first (so nothing is
 * lost to a crash or a reload), then sent in order. A refusal (sold out, expired) is kept
 * as failed with the server's message until staff dismiss it: never dropped silently.
 */
export class Outbox {
  private flushing: Promise<void> | undefined;
  private flushAgain = false;
  private readonly listeners = new Set<(event: OutboxEvent) => void>();

  constructor(
    private readonly db: TabletDb,
    private readonly send: Send,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the action with an idempotency key made now, when the person acted. */
  async enqueue(action: NewAction): Promise<OutboxEntry> {
    const at = this.now();
    const entry: OutboxEntry = {
      ...action,
      key: newUlid(at),
      createdAt: at,
      attempts: 0,
      nextAttemptAt: at,
      state: 'pending',
    };
    const seq = await this.db.outbox.add(entry);
    return { ...entry, seq: Number(seq) };
  }

  onEvent(listener: (event: OutboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pending(): Promise<OutboxEntry[]> {
    return this.db.outbox.where('state').equals('pending').sortBy('seq');
  }

  failed(): Promise<OutboxEntry[]> {
    return this.db.outbox.where('state').equals('failed').sortBy('seq');
  }

  /** Staff read a failure and chose what to do; only then does it leave the list. */
  async dismiss(seq: number): Promise<void> {
    await this.db.outbox.delete(seq);
  }

  /** Sends a failed action again, under its original idempotency key. */
  async retry(seq: number): Promise<void> {
    await this.db.outbox.update(seq, { state: 'pending', nextAttemptAt: this.now() });
  }

  /** Sends what is due, oldest first; one flush at a time. */
  flush(): Promise<void> {
    // An action queued while a flush is finishing must not wait for the next timer.
    this.flushAgain = this.flushing !== undefined;
    this.flushing ??= (async () => {
      do {
        this.flushAgain = false;
        await this.drain();
      } while (this.flushAgain);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const [next] = await this.pending();
      if (!next || next.seq === undefined) return;
      // Order matters (a count after a receive): a later action never overtakes an earlier one.
      if (next.nextAttemptAt > this.now()) return;
      let reply: { status: number; body: unknown };
      try {
        reply = await this.send(next);
      } catch (error) {
        await this.postpone(next, 'NETWORK', error instanceof Error ? error.message : String(error));
        return;
      }
      if (reply.status >= 200 && reply.status < 300) {
        await this.db.outbox.delete(next.seq);
        this.emit({ type: 'sent', entry: next, body: reply.body });
        continue;
      }
      const error = asErrorBody(reply.body);
      if (error.code === 'DEVICE_REVOKED' || error.code === 'UNAUTHENTICATED') {
        // Keep everything: an admin may re-enroll the tablet, and the actions are still wanted.
        await this.postpone(next, error.code, error.message);
        this.emit({ type: 'revoked' });
        return;
      }
      if (reply.status >= 500 || reply.status === 429) {
        await this.postpone(next, error.code, error.message);
        return;
      }
      const failed: OutboxEntry = {
        ...next,
        state: 'failed',
        attempts: next.attempts + 1,
        error: {
          code: error.code,
          message: error.message,
          at: this.now(),
          ...(error.details ? { details: error.details } : {}),
        },
      };
      await this.db.outbox.put(failed);
      this.emit({ type: 'failed', entry: failed });
    }
  }

  private async postpone(entry: OutboxEntry, code: OutboxErrorCode, message: string) {
    const attempts = entry.attempts + 1;
    await this.db.outbox.update(entry.seq ?? 0, {
      attempts,
      nextAttemptAt: this.now() + backoffMs(attempts),
      error: { code, message, at: this.now() },
    });
  }

  private emit(event: OutboxEvent) {
    for (const listener of this.listeners) listener(event);
  }
}

function asErrorBody(body: unknown): ErrorBody {
  if (typeof body === 'object' && body !== null && 'code' in body && isErrorCode(body.code)) {
    const message =
      'message' in body && typeof body.message === 'string' ? body.message : ERROR_MESSAGES[body.code];
    const details =
      'details' in body && typeof body.details === 'object' && body.details !== null
        ? (body.details as Record<string, unknown>)
        : undefined;
    return details ? { code: body.code, message, details } : { code: body.code, message };
  }
  return { code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL };
}
