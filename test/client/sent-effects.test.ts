import { describe, expect, it } from 'vitest';
import { sentEffects } from '../../client/offline/sent-effects.ts';
import { entry, holdOf } from './tablet-parts.ts';

const lease = { deviceId: 'dev-1', sku: 'KIT', quantity: 4, expiresAt: 9 };

describe('what an accepted action means on the tablet', () => {
  it('a sale is demand for the lease rule, at the time it was made', () => {
    expect(sentEffects(entry(), {})).toEqual({ sale: { sku: 'KIT', quantity: 2, at: 1_000 } });
  });

  it('an offline report counts its sales, not its write-offs, and confirms the lease it gave back', () => {
    const report = entry({
      leaseBy: 'staff',
      command: {
        name: 'lease.report',
        args: {
          sku: 'KIT',
          returnQuantity: 1,
          actions: [
            { id: 'a', kind: 'sale', quantity: 2, at: 1 },
            { id: 'b', kind: 'write_off', quantity: 5, at: 2 },
          ],
        },
      },
    });
    expect(sentEffects(report, { lease })).toEqual({
      sale: { sku: 'KIT', quantity: 2, at: 1_000 },
      lease: { server: lease, change: { by: 'staff', took: 0, gaveBack: true } },
    });
  });

  it('taking a lease confirms it with what was taken', () => {
    const take = entry({
      leaseBy: 'policy',
      command: { name: 'lease.take', args: { sku: 'KIT', quantity: 3 } },
    });
    expect(sentEffects(take, { lease }).lease?.change).toEqual({ by: 'policy', took: 3, gaveBack: false });
  });

  it('a hold step that ended the hold closes it in the hold log; one that did not, nothing', () => {
    const step = entry({ command: { name: 'hold.step', args: { holdId: 'h1', step: 'hand-over' } } });
    expect(sentEffects(step, { ...holdOf('h1', 1), status: 'fulfilled' })).toEqual({
      closedHold: { id: 'h1', closedAs: 'fulfilled' },
    });
    expect(sentEffects(step, holdOf('h1', 1))).toEqual({});
  });
});
