import { ownerOfId } from '../../shared/ids.ts';
import type { ConsumerOptions } from '../consumers/consumer.ts';
import { startConsumer } from '../consumers/run-consumer.ts';
import type { Deps } from '../deps.ts';
import { storeKeys } from '../stock/keys.ts';
import { draftsFor } from './compose.ts';
import { holdContent, makeMessages, notifier } from './notifier.ts';
import { createProviders } from './providers.ts';
import { ACK_CHECK_QUEUE, type MessageQueue, type QueueOptions, startMessageQueue } from './queue.ts';

export interface NotificationOptions {
  queue?: QueueOptions;
  consumer?: ConsumerOptions;
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
  const log = options.log ?? ((line: string) => console.log(line));
  const providers = createProviders(deps.config.notify);
  const queue = await startMessageQueue(ledger, providers, log, onError, options.queue);
  const sink = {
    enqueue: queue.enqueue,
    async checkAckLater(holdId: string, afterMs: number) {
      await queue.boss.send(ACK_CHECK_QUEUE, { holdId }, { startAfter: Math.ceil(afterMs / 1000) });
    },
  };
  // No tablet acknowledged a hold in time: the customer gets the store's phone number.
  await queue.boss.work<{ holdId: string }>(
    ACK_CHECK_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: options.queue?.pollingIntervalSeconds ?? 2 },
    async ([job]) => {
      if (!job) return;
      const holdId = job.data.holdId;
      const storeId = ownerOfId(holdId);
      if (!storeId) return;
      const [acknowledgedAt, status] = await deps.redis.hmget(
        storeKeys(storeId).hold(holdId),
        'acknowledgedAt',
        'status',
      );
      if (acknowledgedAt || !status || !['held', 'confirmed', 'picked'].includes(status)) return;
      const made = await holdContent(deps, holdId, 'hold_unreachable', 0);
      if (made) await makeMessages(deps, sink, draftsFor(made.content, made.contact));
    },
  );
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
