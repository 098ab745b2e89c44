import { describe, expect, it } from 'vitest';
import { storeVerdict, type TabletFacts, tabletVerdict } from '../../shared/sync-verdict.ts';

const base: TabletFacts = {
  revoked: false,
  connected: true,
  offlineSince: undefined,
  pending: 0,
  failed: 0,
  oldestPendingAgeMs: 0,
  leasedUnits: 0,
};
const NOW = 10 * 60 * 60_000;

describe('a tablet’s verdict', () => {
  it('is in sync when connected with nothing pending or refused, behind with actions pending', () => {
    expect(tabletVerdict(base, NOW).verdict).toBe('in_sync');
    expect(tabletVerdict({ ...base, pending: 2, oldestPendingAgeMs: 1_000 }, NOW)).toEqual({
      verdict: 'behind',
      reasons: ['2 pending'],
    });
  });
  it('is offline without a connection, and needs attention after an hour offline holding leases', () => {
    expect(
      tabletVerdict({ ...base, connected: false, offlineSince: NOW - 60_000, leasedUnits: 3 }, NOW).verdict,
    ).toBe('offline');
    expect(
      tabletVerdict({ ...base, connected: false, offlineSince: NOW - 61 * 60_000, leasedUnits: 3 }, NOW)
        .verdict,
    ).toBe('needs_attention');
    expect(
      tabletVerdict({ ...base, connected: false, offlineSince: NOW - 61 * 60_000, leasedUnits: 0 }, NOW)
        .verdict,
    ).toBe('offline');
  });
  it('needs attention with a refused action or an action pending over 15 minutes, connected or not', () => {
    expect(tabletVerdict({ ...base, failed: 1 }, NOW).reasons).toEqual(['1 refused action']);
    expect(tabletVerdict({ ...base, pending: 1, oldestPendingAgeMs: 16 * 60_000 }, NOW).verdict).toBe(
      'needs_attention',
    );
  });
  it('is removed once revoked, whatever it reported', () => {
    expect(tabletVerdict({ ...base, revoked: true, failed: 3 }, NOW).verdict).toBe('removed');
  });
  it('needs attention while revoked with units not yet reported or settled (issue 15 §1)', () => {
    expect(tabletVerdict({ ...base, revoked: true, leasedUnits: 1 }, NOW)).toEqual({
      verdict: 'needs_attention',
      reasons: ['removed by an admin with 1 unit unreported: settle on the Tablets page'],
    });
    expect(storeVerdict(['in_sync', 'needs_attention'], { unacknowledged: 0, shortfalls: 0 }).verdict).toBe(
      'needs_attention',
    );
  });
});

describe('a store’s verdict', () => {
  it('says no tablet is connected, or follows its tablets', () => {
    expect(storeVerdict([], { unacknowledged: 0, shortfalls: 0 }).verdict).toBe('no_tablet_connected');
    expect(storeVerdict(['offline', 'removed'], { unacknowledged: 0, shortfalls: 0 }).verdict).toBe(
      'no_tablet_connected',
    );
    expect(storeVerdict(['in_sync', 'behind'], { unacknowledged: 0, shortfalls: 0 }).verdict).toBe('behind');
    expect(storeVerdict(['in_sync', 'offline'], { unacknowledged: 0, shortfalls: 0 }).verdict).toBe(
      'in_sync',
    );
  });
  it('needs attention for customers waiting past the acknowledgement time, or a shortfall', () => {
    expect(storeVerdict(['in_sync'], { unacknowledged: 2, shortfalls: 0 })).toEqual({
      verdict: 'needs_attention',
      reasons: ['2 not acknowledged in time: customers are told to call'],
    });
    expect(storeVerdict(['in_sync'], { unacknowledged: 0, shortfalls: 1 }).reasons).toEqual([
      '1 product short',
    ]);
  });
});
