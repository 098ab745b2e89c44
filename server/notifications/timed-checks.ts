import { ownerOfId } from '../../shared/ids.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { Deps } from '../deps.ts';
import { storeKeys } from '../stock/keys.ts';
import { draftsFor } from './compose.ts';
import { bookingContent, holdContent, makeMessages, type NotifierSink } from './notifier.ts';
import { ACK_CHECK_QUEUE, type MessageQueue, REMINDER_QUEUE } from './queue.ts';

const HOUR_MS = 3_600_000;
/** Reminders before a booking: a day and an hour ahead. */
export const DEFAULT_REMINDERS_MS = [24 * HOUR_MS, HOUR_MS];

interface ReminderJob {
  bookingId: string;
  startsAt: number;
  beforeMs: number;
}

/**
 * The messages that wait for a time, as pg-boss jobs (durable, at least once; the message key
 * makes them once): "store not reached" after the acknowledgement time, and the reminders
 * before a booking. A reminder checks at its time that the booking is still booked for the
 * same start: a rescheduled or cancelled booking's old reminders are withdrawn, never sent.
 */
export async function startTimedChecks(
  deps: Deps,
  queue: MessageQueue,
  options: { remindersMs: number[]; pollingIntervalSeconds: number; log: (line: string) => void },
): Promise<NotifierSink> {
  const sink: NotifierSink = {
    enqueue: queue.enqueue,
    async checkAckLater(holdId, afterMs) {
      await queue.boss.send(ACK_CHECK_QUEUE, { holdId }, { startAfter: Math.ceil(afterMs / 1000) });
    },
    async scheduleReminders(bookingId, startsAt) {
      for (const beforeMs of options.remindersMs) {
        const at = startsAt - beforeMs;
        if (at <= deps.clock.now()) continue;
        const job: ReminderJob = { bookingId, startsAt, beforeMs };
        // One job per booking, start and offset, however often the event is read.
        await queue.boss.send(REMINDER_QUEUE, job, {
          startAfter: new Date(at),
          singletonKey: `${bookingId}:${startsAt}:${beforeMs}`,
        });
      }
    },
  };
  const polling = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds };
  await queue.boss.work<{ holdId: string }>(ACK_CHECK_QUEUE, polling, async ([job]) => {
    if (!job) return;
    const holdId = job.data.holdId;
    const storeId = ownerOfId(holdId);
    if (!storeId) return;
    const [acked, status] = await deps.redis.hmget(
      storeKeys(storeId).hold(holdId),
      'acknowledgedAt',
      'status',
    );
    if (acked || !status || !['held', 'confirmed', 'picked'].includes(status)) return;
    const made = await holdContent(deps, holdId, 'hold_unreachable', 0);
    if (made) await makeMessages(deps, sink, draftsFor(made.content, made.contact));
  });
  await queue.boss.work<ReminderJob>(REMINDER_QUEUE, polling, async ([job]) => {
    if (!job) return;
    const { bookingId, startsAt, beforeMs } = job.data;
    const eventId = ownerOfId(bookingId);
    if (!eventId) return;
    const [status, now] = await deps.redis.hmget(eventKeys(eventId).booking(bookingId), 'status', 'startsAt');
    if (status !== 'booked' || Number(now) !== startsAt) {
      options.log(`notifications: reminder of booking ${bookingId} withdrawn (moved or cancelled)`);
      return;
    }
    const made = await bookingContent(deps, bookingId, undefined, 'booking_reminder', {
      revision: `${beforeMs / 60_000}min-${startsAt}`,
      at: 0,
    });
    if (made) await makeMessages(deps, sink, draftsFor(made.content, made.contact));
  });
  return sink;
}
