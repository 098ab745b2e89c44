import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { TabletDb } from '../../client/offline/db.ts';

describe('the tablet database upgrade', () => {
  it('turns actions queued by the older app (method and path) into commands, losing none', async () => {
    const old = new Dexie('upgrade-test');
    old.version(1).stores({
      enrollment: 'id',
      outbox: '++seq, &key, state',
      leases: 'sku',
      sales: '++seq, sku, at',
      docUpdates: '++seq, storeId',
    });
    const base = { createdAt: 1, attempts: 0, nextAttemptAt: 1, state: 'pending' };
    await old.table('outbox').bulkAdd([
      {
        ...base,
        key: 'k1',
        method: 'POST',
        path: '/api/staff/aiea/stock/KIT/receive',
        body: { quantity: 4 },
        label: 'Receive 4',
      },
      { ...base, key: 'k2', method: 'POST', path: '/api/staff/aiea/holds/h1/accept', label: 'Accept' },
      { ...base, key: 'k3', method: 'POST', path: '/api/staff/aiea/something/new', label: 'Mystery' },
    ]);
    old.close();

    const db = new TabletDb('upgrade-test');
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => [e.key, e.command, e.state])).toEqual([
      ['k1', { name: 'stock.receive', args: { sku: 'KIT', quantity: 4 } }, 'pending'],
      ['k2', { name: 'hold.step', args: { holdId: 'h1', step: 'accept' } }, 'pending'],
      ['k3', expect.anything(), 'failed'],
    ]);
    expect(entries[2]?.label).toBe('Mystery');
    expect(entries.every((e) => !('path' in e))).toBe(true);
    db.close();
  });
});
