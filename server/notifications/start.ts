import type { ConsumerOptions } from '../consumers/consumer.ts';
import { startConsumer } from '../consumers/run-consumer.ts';
import type { Deps } from '../deps.ts';
import { notifier } from './notifier.ts';
import { createProviders } from './providers.ts';
import { type MessageQueue, type QueueOptions, startMessageQueue } from './queue.ts';
import { DEFAULT_REMINDERS_MS, startTimedChecks } from './timed-checks.ts';

export interface NotificationOptions {
  queue?: QueueOptions;
  consumer?: ConsumerOptions;
  /** How long before a booking its reminders go; default a day and an hour. */
  remindersMs?: number[];
  /** Where progress lines go (never a contact); default the console. */
  log?: (line: string) => void;
}

export interface Notifications {
  queue: MessageQueue;
  stop(): Promise<void>;
}

/** Notifications that start once the ledger's Postgres answers (it may be down at start). */
export interface NotificationsHandle {
  current(): Notifications | undefined;
  /** Resolves when they run (never rejects; tries again every few seconds). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const START_RETRY_MS = 5_000;

export function startNotificationsWhenReady(
  deps: Deps,
  onError: (error: unknown) => void,
  options: NotificationOptions = {},
): NotificationsHandle {
  let running: Notifications | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const ready = (async () => {
    while (!stopped && deps.ledger) {
      try {
        running = await startNotifications(deps, onError, options);
        if (stopped) await running?.stop();
        return;
      } catch (error) {
        onError(error);
        await new Promise<void>((resume) => {
          wake = resume;
          timer = setTimeout(resume, START_RETRY_MS);
        });
      }
    }
  })();
  return {
    current: () => running,
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await ready;
      await running?.stop();
    },
  };
}

/**
 * Messages to customers on this instance (needs the ledger's Postgres): the queue's worker,
 * the store-acknowledgement check and the notifier consumer. Every instance runs them; the
 * consumer group and the queue share the work out.
 */
export async function startNotifications(
  deps: Deps,
  onError: (error: unknown) => void,
  options: NotificationOptions = {},
): Promise<Notifications | undefined> {
  const ledger = deps.ledger;
  if (!ledger) return undefined;
  const log = options.log ?? ((line: string) => deps.log.info(line));
  const providers = createProviders(deps.config.notify);
  const queue = await startMessageQueue(ledger, providers, log, onError, options.queue);
  const sink = await startTimedChecks(deps, queue, {
    remindersMs: options.remindersMs ?? DEFAULT_REMINDERS_MS,
    pollingIntervalSeconds: options.queue?.pollingIntervalSeconds ?? 2,
    log,
  });
  const consumer = startConsumer(deps, notifier(deps, sink), onError, options.consumer);
  return {
    queue,
    async stop() {
      await consumer.stop();
      await queue.stop();
      providers.close();
    },
  };
}
