import { describe, expect, it } from 'vitest';
import type { Command } from '../../client/offline/commands.ts';
import type { OutboxEntry } from '../../client/offline/db.ts';
import { localStock, stockLevel } from '../../client/offline/local-stock.ts';

const confirmed = { sku: 'KIT', onHand: 22, held: 0, leased: 3, available: 19, shortfall: 0, updatedAt: 1 };
const entry = (command: Command): OutboxEntry => ({
  key: 'k',
  command,
  label: '',
  createdAt: 1,
  attempts: 0,
  nextAttemptAt: 1,
  state: 'pending',
});

describe('the tablet’s own view of a product', () => {
  it('shows offline sales from the lease on top of the server’s numbers (issue 8.6)', () => {
    const sold = entry({
      name: 'lease.report',
      args: {
        sku: 'KIT',
        actions: [{ id: 'x1y2z3w4v5', kind: 'sale', quantity: 3, at: 2 }],
        returnQuantity: 0,
      },
    });
    const view = localStock(confirmed, [sold]);
    expect(view).toMatchObject({ onHand: 19, leased: 0, available: 19 });
    expect(view.pending).toEqual({ onHand: -3, leased: -3, available: 0, actions: 1 });
  });

  it('applies receipts, counts, keeps and give-backs in order, and ignores other products', () => {
    const view = localStock(confirmed, [
      entry({ name: 'stock.receive', args: { sku: 'KIT', quantity: 5 } }),
      entry({ name: 'stock.count', args: { sku: 'KIT', counted: 20, lastSeen: 27 } }),
      entry({ name: 'lease.take', args: { sku: 'KIT', quantity: 2 } }),
      entry({ name: 'lease.report', args: { sku: 'KIT', actions: [], returnQuantity: 1 } }),
      entry({ name: 'stock.receive', args: { sku: 'CASE', quantity: 100 } }),
      entry({ name: 'hold.step', args: { holdId: 'h', step: 'ack' } }),
    ]);
    expect(view).toMatchObject({ onHand: 20, leased: 4, available: 16 });
    expect(view.pending.actions).toBe(4);
  });

  it('never shows available below zero', () => {
    expect(
      localStock(confirmed, [entry({ name: 'stock.sell', args: { sku: 'KIT', quantity: 50 } })]).available,
    ).toBe(0);
  });

  it('tells out-of-stock and low-stock apart', () => {
    expect([0, 1, 3, 4].map(stockLevel)).toEqual(['out', 'low', 'low', 'ok']);
  });
});
