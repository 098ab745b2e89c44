import { describe, expect, it } from 'vitest';
import type { LocalLease, OutboxEntry } from '../../client/offline/db.ts';
import { LEASE_CLOCK_MARGIN_MS } from '../../client/offline/lease-policy.ts';
import { StoreReadModel } from '../../client/offline/store-read-model.ts';
import { entry, holdOf, stockOf, writeScarce, Y } from './tablet-parts.ts';

function model(init: { pending?: OutboxEntry[]; leases?: Record<string, LocalLease>; now?: number } = {}) {
  const doc = new Y.Doc();
  let version = 0;
  const state = { pending: init.pending ?? [], leases: init.leases ?? {} };
  const read = new StoreReadModel({
    doc: () => doc,
    docVersion: () => version,
    pending: () => state.pending,
    leases: () => state.leases,
    now: () => init.now ?? 0,
  });
  return {
    doc,
    read,
    state,
    bump: () => {
      version += 1;
    },
  };
}

const lease = (quantity: number, expiresAt = 10 * 60 * 60 * 1000): LocalLease => ({
  sku: 'KIT',
  quantity,
  expiresAt,
  confirmedAt: 0,
});

describe('the store read model', () => {
  it('reads stock, holds (oldest first) and the time of the server’s numbers from the document', () => {
    const { doc, read } = model();
    writeScarce(doc, {
      'stock:KIT': stockOf('KIT', 4),
      'hold:h2': holdOf('h2', 20),
      'hold:h1': holdOf('h1', 10),
      asOf: 99,
    });
    expect(read.stock().KIT?.available).toBe(4);
    expect(read.holds().map((h) => h.id)).toEqual(['h1', 'h2']);
    expect(read.scarceAsOf()).toBe(99);
    expect(read.bookings()).toEqual([]);
  });

  it('parses the document once per change: a read sees a new value only after the version moves', () => {
    const { doc, read, bump } = model();
    writeScarce(doc, { 'stock:KIT': stockOf('KIT', 4) });
    expect(read.stock().KIT?.available).toBe(4);
    writeScarce(doc, { 'stock:KIT': stockOf('KIT', 1) });
    expect(read.stock().KIT?.available).toBe(4);
    bump();
    expect(read.stock().KIT?.available).toBe(1);
  });

  it('puts this tablet’s unsent actions on top of the server’s numbers', () => {
    const { doc, read } = model({
      pending: [entry({ command: { name: 'stock.sell', args: { sku: 'KIT', quantity: 3 } } })],
    });
    writeScarce(doc, { 'stock:KIT': stockOf('KIT', 5) });
    expect(read.localStock('KIT')?.available).toBe(2);
    expect(read.localStock('NONE')).toBeUndefined();
  });

  it('counts what was sold offline against the lease: allowance, check and what may be given back', () => {
    const sold = entry({ leaseUse: { sku: 'KIT', quantity: 2 } });
    const { read } = model({ pending: [sold], leases: { KIT: lease(5) } });
    expect(read.usedOffline('KIT')).toBe(2);
    expect(read.allowance('KIT').remaining).toBe(3);
    expect(read.checkSale('KIT', 3).ok).toBe(true);
    expect(read.checkSale('KIT', 4).ok).toBe(false);
    expect(read.returnable('KIT')).toBe(3);
    expect(read.returnable('OTHER')).toBe(0);
  });

  it('allows nothing offline once the lease is about to end', () => {
    const { read } = model({ leases: { KIT: lease(5, LEASE_CLOCK_MARGIN_MS) }, now: 1 });
    expect(read.checkSale('KIT', 1).ok).toBe(false);
  });
});
