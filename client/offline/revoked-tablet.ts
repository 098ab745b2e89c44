import { ERROR_MESSAGES, isErrorCode } from '../../shared/errors.ts';
import type { MetaRecord, OutboxEntry, TabletDb } from './db.ts';
import type { Send } from './outbox.ts';

/**
 * What a tablet does once an admin revoked it (issue 15 §1): it keeps only what staff did that
 * the server has not taken (its outbox), erases the rest (customers' names, emails and phones
 * in the hold log and the store document), and may still deliver the offline sales and
 * write-offs it made before it was revoked: its credential opens the lease report, nothing else.
 */

/** Erases everything the tablet keeps but its own unsent actions, its enrollment and the store's name and zone. */
export async function eraseAfterRevocation(db: TabletDb, at: number): Promise<void> {
  await db.transaction('rw', [db.holdLog, db.docUpdates, db.leases, db.sales, db.meta], async () => {
    await Promise.all([db.holdLog.clear(), db.docUpdates.clear(), db.leases.clear(), db.sales.clear()]);
    await db.meta.delete('sync');
    // Remembered, so a reload offline opens on the removed screen, not on an empty store.
    const removed: MetaRecord = { key: 'removed', at };
    await db.meta.put(removed);
  });
}

/** An offline sale or write-off from the lease: what a revoked tablet may still report. */
export function isLeaseReport(entry: OutboxEntry): boolean {
  return entry.command.name === 'lease.report' && entry.command.args.actions.length > 0;
}

export interface Delivery {
  delivered: number;
  refused: number;
  /** The server could not be reached (or did not answer): what is left is tried again later. */
  unreachable: boolean;
}

/**
 * Sends the outbox's offline sales and write-offs, oldest first, under their own idempotency
 * keys (the server applies each once, whether it came from here or from the file an admin
 * imported). A refusal (made after the revocation, or beyond what was left) stays in the list
 * with the server's words; staff tell an admin what happened to those units.
 */
export async function deliverOfflineSales(db: TabletDb, send: Send, now: () => number): Promise<Delivery> {
  const result: Delivery = { delivered: 0, refused: 0, unreachable: false };
  const entries = (await db.outbox.orderBy('seq').toArray()).filter(isLeaseReport);
  for (const entry of entries) {
    // A refusal stays until staff dismiss it; what waits is sent.
    if (entry.seq === undefined || entry.state !== 'pending') continue;
    let reply: { status: number; body: unknown };
    try {
      reply = await send(entry);
    } catch {
      result.unreachable = true;
      return result;
    }
    if (reply.status >= 200 && reply.status < 300) {
      await db.outbox.delete(entry.seq);
      result.delivered += 1;
      continue;
    }
    if (reply.status >= 500 || reply.status === 429) {
      result.unreachable = true;
      return result;
    }
    const body = reply.body as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
    const code = isErrorCode(body?.code) ? body.code : 'INTERNAL';
    const message = typeof body?.message === 'string' ? body.message : ERROR_MESSAGES[code];
    await db.outbox.put({
      ...entry,
      state: 'failed',
      attempts: entry.attempts + 1,
      error: { code, message, at: now(), ...(body?.details ? { details: body.details } : {}) },
    });
    result.refused += 1;
  }
  return result;
}

/**
 * Before the tablet is enrolled again: offline sales of the removed enrollment that could not be
 * delivered must not go out under the new one (they belong to the old lease, which the server
 * keeps until they are reported or settled). They wait as failed, with what to do.
 */
export async function holdBackOfflineSales(db: TabletDb, now: number): Promise<void> {
  const waiting = (await db.outbox.where('state').equals('pending').toArray()).filter(isLeaseReport);
  for (const entry of waiting) {
    await db.outbox.put({
      ...entry,
      state: 'failed',
      error: {
        code: 'DEVICE_REVOKED',
        message:
          'Made before this tablet was removed and not delivered: save the unsent actions as a file for an admin to import.',
        at: now,
      },
    });
  }
}
