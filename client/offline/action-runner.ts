import { ERROR_MESSAGES, type ErrorCode } from '../../shared/errors.ts';
import type { OutboxEntry } from './db.ts';
import type { NewAction, Outbox } from './outbox.ts';
import type { Timers } from './timers.ts';

/** Online, how long an action waits for the server's answer before the screen says "queued". */
export const ANSWER_WAIT_MS = 5_000;

/** What became of an action, for the screen to say in place (issue 8.2). */
export type ActionOutcome =
  | { kind: 'done' }
  | {
      kind: 'refused';
      code: ErrorCode;
      message: string;
      details?: Record<string, unknown>;
      seenAvailable?: number;
    }
  /** Saved on the tablet; sent when the server can be reached (offline, or no answer in time). */
  | { kind: 'queued'; offline: boolean }
  /** Not even queued: offline beyond what this tablet keeps. */
  | { kind: 'not-allowed'; reason: string; remaining: number };

/** A failed entry as the screen says it: the server's code and words (a network error never gets here). */
export function refusalOf(entry: OutboxEntry): ActionOutcome {
  const error = entry.error;
  const code = error && error.code !== 'NETWORK' ? error.code : 'INTERNAL';
  return {
    kind: 'refused',
    code,
    message: error?.message ?? ERROR_MESSAGES[code],
    ...(error?.details ? { details: error.details } : {}),
    ...(entry.seenAvailable === undefined ? {} : { seenAvailable: entry.seenAvailable }),
  };
}

export interface ActionRunnerOptions {
  outbox: Outbox;
  timers: Timers;
  isOnline: () => boolean;
  /** Re-reads the outbox into what the screens show. */
  refresh: () => Promise<void>;
  /** A refusal nobody waited for: it stays on the Sync tab. */
  onUnansweredRefusal: () => void;
}

/**
 * The wait-for-an-answer policy: every action goes to the outbox; online, a person's action
 * waits briefly for the server so the screen can say what happened in place. A refusal shown
 * in place is handled there, so it does not also wait on the Sync tab.
 */
export class ActionRunner {
  private readonly waiting = new Map<string, (outcome: ActionOutcome) => void>();

  constructor(private readonly options: ActionRunnerOptions) {
    options.outbox.onEvent((event) => {
      if (event.type === 'sent') this.settle(event.entry, { kind: 'done' });
      if (event.type === 'failed') void this.refused(event.entry);
    });
  }

  /** Queues the action and, online, sends it; nobody waits for the answer. */
  async act(action: NewAction): Promise<OutboxEntry> {
    const { outbox } = this.options;
    const entry = await outbox.enqueue(action);
    await this.options.refresh();
    if (this.options.isOnline()) void outbox.flush();
    return entry;
  }

  /** Queues the action; online, waits up to ANSWER_WAIT_MS for the server's answer. */
  async actAndWait(action: NewAction): Promise<ActionOutcome> {
    const { outbox, timers } = this.options;
    if (!this.options.isOnline()) {
      await this.act(action);
      return { kind: 'queued', offline: true };
    }
    let resolve: (outcome: ActionOutcome) => void = () => {};
    const answered = new Promise<ActionOutcome>((r) => {
      resolve = r;
    });
    const entry = await outbox.enqueue(action);
    this.waiting.set(entry.key, resolve);
    const cancel = timers.after(ANSWER_WAIT_MS, () => resolve({ kind: 'queued', offline: false }));
    await this.options.refresh();
    void outbox.flush();
    const outcome = await answered;
    cancel();
    this.waiting.delete(entry.key);
    return outcome;
  }

  /** Staff read a refusal on the Sync tab and chose what to do: only then does it leave the list. */
  async dismiss(seq: number): Promise<void> {
    await this.options.outbox.dismiss(seq);
    await this.options.refresh();
  }

  /** Sends a refused action again, under its original idempotency key. */
  async retry(seq: number): Promise<void> {
    await this.options.outbox.retry(seq);
    await this.options.refresh();
    void this.options.outbox.flush();
  }

  private settle(entry: OutboxEntry, outcome: ActionOutcome): boolean {
    const resolve = this.waiting.get(entry.key);
    if (!resolve) return false;
    this.waiting.delete(entry.key);
    resolve(outcome);
    return true;
  }

  private async refused(entry: OutboxEntry): Promise<void> {
    if (this.settle(entry, refusalOf(entry)) && entry.seq !== undefined) {
      await this.dismiss(entry.seq);
    } else this.options.onUnansweredRefusal();
  }
}
