import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import type { OutboxEntry } from '../../client/offline/db.ts';
import { TabletDb } from '../../client/offline/db.ts';
import type { Send } from '../../client/offline/outbox.ts';
import { SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';

let dbCount = 0;

/** A fresh tablet database in fake-indexeddb (each test its own). */
export function freshDb(name = 'parts'): TabletDb {
  dbCount += 1;
  return new TabletDb(`${name}-${dbCount}-${Math.random()}`);
}

/** An outbox entry as the outbox stores it. */
export function entry(patch: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    seq: 1,
    key: 'k1',
    command: { name: 'stock.sell', args: { sku: 'KIT', quantity: 2 } },
    label: 'Sell 2 × KIT',
    createdAt: 1_000,
    attempts: 0,
    nextAttemptAt: 0,
    state: 'pending',
    ...patch,
  };
}

/** Writes the server's `scarce` entries into a document, as the server's projection does. */
export function writeScarce(doc: Y.Doc, values: Record<string, unknown>): void {
  const list = doc.getArray<ScarceEntry>(SCARCE_ARRAY);
  doc.transact(() => list.push(Object.entries(values).map(([key, val]) => ({ key, val }))));
}

export const stockOf = (sku: string, available: number) => ({
  sku,
  onHand: available,
  held: 0,
  leased: 0,
  available,
  shortfall: 0,
  updatedAt: 1,
});

export const holdOf = (id: string, createdAt: number) => ({
  id,
  storeId: 'aiea',
  sku: 'KIT',
  quantity: 1,
  status: 'held' as const,
  createdAt,
  expiresAt: createdAt + 3_600_000,
  customer: { name: `Customer ${id}` },
});

/**
 * The server's answers to the outbox, one per request in order: a status and body, or 'down'
 * (the request throws), or 'never' (no answer comes). The requests it saw are kept.
 */
export function scriptedSend(answers: ({ status: number; body?: unknown } | 'down' | 'never')[]) {
  const seen: OutboxEntry[] = [];
  const send: Send = async (e) => {
    seen.push(e);
    const answer = answers.shift() ?? { status: 200, body: {} };
    if (answer === 'down') throw new TypeError('fetch failed');
    if (answer === 'never') return new Promise(() => {});
    return { status: answer.status, body: answer.body };
  };
  return { send, seen };
}

export { Y };
