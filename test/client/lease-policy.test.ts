import { describe, expect, it } from 'vitest';
import {
  checkOfflineSale,
  leaseTarget,
  offlineAllowance,
  planLeases,
} from '../../client/offline/lease-policy.ts';

const DAY = 24 * 60 * 60 * 1000;
const now = 100 * DAY;

describe('lease policy', () => {
  it('targets the average day of the last week, between 1 and 5', () => {
    expect(leaseTarget(0)).toBe(0);
    expect(leaseTarget(1)).toBe(1);
    expect(leaseTarget(14)).toBe(2);
    expect(leaseTarget(500)).toBe(5);
  });

  it('takes a lease for a product that sells, leaving units for others', () => {
    const steps = planLeases({
      now,
      sales: [{ sku: 'A', quantity: 14, at: now - DAY }],
      leases: {},
      available: { A: 3 },
    });
    expect(steps).toEqual([{ sku: 'A', take: 1 }]);
  });

  it('takes nothing when only the reserve is left', () => {
    expect(
      planLeases({ now, sales: [{ sku: 'A', quantity: 3, at: now }], leases: {}, available: { A: 2 } }),
    ).toEqual([]);
  });

  it('gives back leases of products that stopped selling, and trims oversized ones', () => {
    const steps = planLeases({
      now,
      sales: [
        { sku: 'OLD', quantity: 50, at: now - 8 * DAY },
        { sku: 'SLOW', quantity: 1, at: now - DAY },
      ],
      leases: { OLD: 3, SLOW: 4 },
      available: { OLD: 10, SLOW: 10 },
    });
    expect(steps).toEqual([
      { sku: 'OLD', give: 3 },
      { sku: 'SLOW', give: 3 },
    ]);
  });
});

describe('offline sale check', () => {
  const lease = { quantity: 3, expiresAt: now + DAY };

  it('allows a sale within what is left of the lease', () => {
    expect(checkOfflineSale(lease, 1, 2, now)).toEqual({ ok: true, remaining: 0 });
  });

  it('refuses beyond the lease and says how many are left', () => {
    const check = checkOfflineSale(lease, 2, 2, now);
    expect(check).toMatchObject({ ok: false, remaining: 1 });
    expect(!check.ok && check.reason).toMatch(/only 1 more unit/);
  });

  it('refuses without a lease, or once the lease is about to end', () => {
    expect(checkOfflineSale(undefined, 0, 1, now)).toMatchObject({ ok: false, remaining: 0 });
    expect(checkOfflineSale(lease, 0, 1, now + DAY - 60_000)).toMatchObject({ ok: false });
  });
});

describe('offline allowance (the one decision behind "may sell N more")', () => {
  const lease = { quantity: 3, expiresAt: now + DAY };

  it('is what is left of the lease while it lasts', () => {
    expect(offlineAllowance(lease, 1, now)).toEqual({
      state: 'open',
      remaining: 2,
      endsAt: now + DAY - 300_000,
    });
  });

  it('is nothing once the lease has ended, however many units it had (issue 11)', () => {
    expect(offlineAllowance(lease, 0, now + DAY)).toEqual({ state: 'ended', remaining: 0 });
    expect(checkOfflineSale(lease, 0, 1, now + DAY)).toMatchObject({ ok: false, remaining: 0 });
  });

  it('is nothing without a lease', () => {
    expect(offlineAllowance(undefined, 0, now)).toEqual({ state: 'none', remaining: 0 });
  });
});

describe('lease policy and units kept by hand', () => {
  it('plans only its own part: kept-by-hand units are neither counted nor returned', () => {
    expect(
      planLeases({ now, sales: [], leases: { A: 4 }, keptByHand: { A: 4 }, available: { A: 10 } }),
    ).toEqual([]);
    expect(
      planLeases({
        now,
        sales: [{ sku: 'A', quantity: 7, at: now }],
        leases: { A: 4 },
        keptByHand: { A: 4 },
        available: { A: 10 },
      }),
    ).toEqual([{ sku: 'A', take: 1 }]);
  });
});
