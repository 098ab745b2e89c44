import { describe, expect, it } from 'vitest';
import type { LocalLease } from '../../client/offline/db.ts';
import { confirmLease, leasePolicyActions } from '../../client/offline/lease-keeper.ts';

const DAY = 86_400_000;
const now = 50 * DAY;
const lease = (quantity: number, keptByHand: number): LocalLease => ({
  sku: 'KIT',
  quantity,
  expiresAt: now + DAY,
  confirmedAt: now,
  keptByHand,
});

describe('the lease keeper', () => {
  it('never gives back what staff kept by hand (issue 8.1)', () => {
    // 4 kept by hand, no sales at all: the rule has no part of its own to return.
    expect(
      leasePolicyActions({ now, sales: [], leases: { KIT: lease(4, 4) }, available: { KIT: 10 } }),
    ).toEqual([]);
  });

  it('returns only its own part above its target', () => {
    const actions = leasePolicyActions({
      now,
      sales: [{ sku: 'KIT', quantity: 1, at: now - DAY }],
      leases: { KIT: lease(6, 2) },
      available: { KIT: 10 },
    });
    // target 1 for its own part: 4 automatic units, so it returns 3, and says it was the rule.
    expect(actions).toEqual([
      {
        command: { name: 'lease.report', args: { sku: 'KIT', actions: [], returnQuantity: 3 } },
        label: 'Give back 3 × KIT kept for offline selling (automatic)',
        leaseBy: 'policy',
      },
    ]);
  });

  it('tops up its own part beside what staff kept', () => {
    const actions = leasePolicyActions({
      now,
      sales: [{ sku: 'KIT', quantity: 14, at: now - DAY }],
      leases: { KIT: lease(3, 3) },
      available: { KIT: 10 },
    });
    expect(actions.map((a) => a.command)).toEqual([
      { name: 'lease.take', args: { sku: 'KIT', quantity: 2 } },
    ]);
  });
});

describe('a confirmed lease', () => {
  const server = { sku: 'KIT', quantity: 5, expiresAt: now + DAY };

  it('counts units staff keep as theirs, and not the rule’s', () => {
    expect(confirmLease(undefined, server, { by: 'staff', took: 4, gaveBack: false }, now).keptByHand).toBe(
      4,
    );
    expect(
      confirmLease(lease(4, 4), server, { by: 'policy', took: 1, gaveBack: false }, now).keptByHand,
    ).toBe(4);
  });

  it('forgets staff’s part when they give back or when the lease ended', () => {
    expect(confirmLease(lease(4, 4), server, { by: 'staff', took: 0, gaveBack: true }, now).keptByHand).toBe(
      0,
    );
    const ended = { ...lease(4, 4), expiresAt: now - 1 };
    expect(confirmLease(ended, server, { by: undefined, took: 0, gaveBack: false }, now).keptByHand).toBe(0);
  });

  it('never counts more by hand than the lease holds (sold offline since)', () => {
    const small = { ...server, quantity: 2 };
    expect(
      confirmLease(lease(4, 4), small, { by: undefined, took: 0, gaveBack: false }, now).keptByHand,
    ).toBe(2);
  });
});
