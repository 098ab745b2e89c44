import PgBoss from 'pg-boss';
import type { LedgerDb } from '../ledger/db.ts';
import {
  claimForSending,
  finishAttempt,
  markStaleSendingUnknown,
  readMessage,
  reopenForResend,
} from './messages-db.ts';
import type { Providers } from './providers.ts';

export const SEND_QUEUE = 'notify-send';
export const ACK_CHECK_QUEUE = 'notify-ack-check';
export const REMINDER_QUEUE = 'notify-reminder';

/** Tuning; the defaults retry a failed send for more than a day (30 s doubling, 12 times: ~34 h). */
export interface QueueOptions {
  retryDelaySeconds?: number;
  retryLimit?: number;
  /** How long an attempt may run before its job is taken as abandoned (the instance died). */
  expireInSeconds?: number;
  pollingIntervalSeconds?: number;
  maintenanceIntervalSeconds?: number;
}

const DEFAULTS = {
  retryDelaySeconds: 30,
  retryLimit: 12,
  expireInSeconds: 120,
  pollingIntervalSeconds: 2,
  maintenanceIntervalSeconds: 60,
};

export interface MessageQueue {
  boss: PgBoss;
  /** Asks for a message to be sent (again); a message already sent or under way is not. */
  enqueue(id: number): Promise<void>;
  /** An admin's resend: the message goes again whatever it became. */
  resend(id: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The durable retries, on pg-boss in the ledger's Postgres: a job per send, retried with
 * exponential backoff across restarts, its state in Postgres. The message row decides who
 * sends (claimForSending): a job given twice, or to two instances, sends once. A job whose
 * instance died mid-send comes back after `expireInSeconds`; its row still says 'sending', so
 * the message is marked 'unknown' (it may have gone) and said so in the log, never sent again.
 */
export async function startMessageQueue(
  ledger: LedgerDb,
  providers: Providers,
  log: (line: string) => void,
  onError: (error: unknown) => void,
  options: QueueOptions = {},
): Promise<MessageQueue> {
  const o = { ...DEFAULTS, ...options };
  const boss = new PgBoss({
    db: { executeSql: (text, values) => ledger.pool.query(text, values) },
    schema: 'pgboss',
    maintenanceIntervalSeconds: o.maintenanceIntervalSeconds,
  });
  boss.on('error', onError);
  await boss.start();
  const queue = {
    retryLimit: o.retryLimit,
    retryDelay: o.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: o.expireInSeconds,
  };
  await boss.createQueue(SEND_QUEUE, { name: SEND_QUEUE, ...queue });
  await boss.createQueue(ACK_CHECK_QUEUE, { name: ACK_CHECK_QUEUE, ...queue });
  await boss.createQueue(REMINDER_QUEUE, { name: REMINDER_QUEUE, ...queue });

  async function attempt(id: number, retryCount: number): Promise<void> {
    const message = await claimForSending(ledger.pool, id);
    if (!message) {
      if (await markStaleSendingUnknown(ledger.pool, id, o.expireInSeconds * 1000))
        log(`notifications: message ${id}: outcome unknown (an instance stopped mid-send); not sent again`);
      return;
    }
    const result = await providers.send(message);
    const tag = `notifications: message ${id} (${message.kind}, ${message.channel})`;
    if (result.outcome === 'sent') {
      await finishAttempt(ledger.pool, id, 'sent', result.answer);
      log(`${tag}: sent`);
    } else if (result.outcome === 'none') {
      await finishAttempt(ledger.pool, id, 'not_sent', result.answer);
      log(`${tag}: not sent: no provider`);
    } else if (result.outcome === 'rejected' || retryCount >= o.retryLimit) {
      await finishAttempt(ledger.pool, id, 'dead', result.answer);
      log(`${tag}: dead letter after ${message.attempts} attempts: ${result.answer}`);
    } else {
      await finishAttempt(ledger.pool, id, 'failed', result.answer);
      log(`${tag}: attempt ${message.attempts} failed, retried later: ${result.answer}`);
      // pg-boss retries the job after its backoff.
      throw new Error(`send failed: ${result.answer}`);
    }
  }

  await boss.work<{ id: number }>(
    SEND_QUEUE,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: o.pollingIntervalSeconds },
    async ([job]) => {
      if (job) await attempt(job.data.id, job.retryCount);
    },
  );

  const enqueue = async (id: number) => {
    await boss.send(SEND_QUEUE, { id }, queue);
  };
  return {
    boss,
    enqueue,
    async resend(id) {
      const message = await readMessage(ledger.pool, id);
      if (!message || !(await reopenForResend(ledger.pool, id))) return false;
      await enqueue(id);
      return true;
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 5_000 }),
  };
}
