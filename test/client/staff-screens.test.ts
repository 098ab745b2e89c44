import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { TabletDb } from '../../client/offline/db.ts';
import {
  LEASE_CLOCK_MARGIN_MS,
  offlineAllowance,
  offlineSellingEndsAt,
} from '../../client/offline/lease-policy.ts';
import { UnsyncedEdits } from '../../client/offline/unsynced-edits.ts';
import { countDifferenceText, countReasonText, isLargeDrop } from '../../client/staff/count-check.ts';
import { holdSteps } from '../../client/staff/PickupQueue.tsx';
import { leaseLine } from '../../client/staff/ProductDetail.tsx';
import { lastSyncedText } from '../../client/staff/SyncIndicator.tsx';
import { secondsAgo, storeDate, storeTime } from '../../client/staff/store-time.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';

/** The pure decisions behind the tablet's screens (issue 15 §3, §6, §7, §9). */

const HONOLULU = 'Pacific/Honolulu';
const nineTwentyFive = zonedTimeToEpochMs('2026-12-08', '09:25', HONOLULU);

describe('store time, labelled', () => {
  it('says the store’s wall clock with its zone, whatever the tablet’s zone', () => {
    expect(storeTime(nineTwentyFive, HONOLULU)).toBe('9:25 AM HST');
    expect(storeDate(nineTwentyFive, HONOLULU)).toBe('Tuesday, December 8');
  });

  it('never says "just now" for a time in the past, in seconds under a minute', () => {
    expect(secondsAgo(1_000, 1_000)).toBe('0 s ago');
    expect(secondsAgo(1_000, 36_000)).toBe('35 s ago');
    expect(secondsAgo(0, 36_000)).toBe('never');
    expect(secondsAgo(1_000, 1_000 + 4 * 60_000)).toBe('4 min ago');
  });

  it('says "just now" in the header only while in sync', () => {
    expect(lastSyncedText({ sync: 'synced', lastSyncedAt: 0 }, 35_000)).toBe('just now');
    expect(lastSyncedText({ sync: 'offline', lastSyncedAt: 5_000 }, 35_000)).toBe('30 s ago');
    expect(lastSyncedText({ sync: 'connecting', lastSyncedAt: 5_000 }, 6_000)).toBe('1 s ago');
  });
});

describe('counts (issue 15 §3)', () => {
  it('says the difference in words', () => {
    expect(countDifferenceText(12, 10)).toBe('2 fewer than expected (12)');
    expect(countDifferenceText(12, 15)).toBe('3 more than expected (12)');
    expect(countDifferenceText(12, 12)).toBe('as expected (12)');
  });

  it('confirms a drop of 5 units, or of a fifth of what was expected, but not of one unit', () => {
    expect(isLargeDrop(12, 10)).toBe(false);
    expect(isLargeDrop(12, 9)).toBe(true);
    expect(isLargeDrop(100, 96)).toBe(false);
    expect(isLargeDrop(100, 95)).toBe(true);
    expect(isLargeDrop(2, 1)).toBe(false);
    expect(isLargeDrop(3, 1)).toBe(true);
    expect(isLargeDrop(10, 14)).toBe(false);
  });

  it('sends a chosen reason, and "Other" only with words', () => {
    expect(countReasonText('Damaged', '')).toBe('Damaged');
    expect(countReasonText('Other', '  ')).toBeUndefined();
    expect(countReasonText('Other', ' dropped in the car park ')).toBe('Other: dropped in the car park');
    expect(countReasonText(undefined, 'x')).toBeUndefined();
  });
});

describe('the pickup queue’s buttons (issue 15 §6)', () => {
  it('offers the next step first, and hand-over only once picked', () => {
    expect(holdSteps({ status: 'held' })).toEqual({ next: 'accept', others: [] });
    expect(holdSteps({ status: 'held', acceptedAt: 1 })).toEqual({ others: [] });
    expect(holdSteps({ status: 'confirmed' })).toEqual({ next: 'accept', others: ['pick'] });
    expect(holdSteps({ status: 'confirmed', acceptedAt: 1 })).toEqual({ next: 'pick', others: [] });
    expect(holdSteps({ status: 'picked', acceptedAt: 1 })).toEqual({ next: 'hand-over', others: [] });
    expect(holdSteps({ status: 'fulfilled' })).toEqual({ others: [] });
  });
});

describe('the selling allowance’s end (issue 15 §7)', () => {
  it('names the same end online and offline: when offline selling stops', () => {
    const lease = { sku: 'KIT', quantity: 2, expiresAt: nineTwentyFive + 8 * 3_600_000, confirmedAt: 0 };
    const now = nineTwentyFive;
    const online = leaseLine(true, lease, offlineAllowance(lease, 0, now), HONOLULU).text;
    const offline = leaseLine(false, lease, offlineAllowance(lease, 0, now), HONOLULU).text;
    const end = storeTime(lease.expiresAt - LEASE_CLOCK_MARGIN_MS, HONOLULU);
    expect(offlineSellingEndsAt(lease)).toBe(lease.expiresAt - LEASE_CLOCK_MARGIN_MS);
    expect(online).toBe(`This tablet keeps 2 for offline selling until ${end}.`);
    expect(offline).toBe(`Offline: this tablet may sell 2 more (until ${end}).`);
  });
});

describe('detail edits made while not in sync (issue 15 §7)', () => {
  it('are kept on disk, one per field, until the document is next in sync', async () => {
    const db = new TabletDb('unsynced-edits-test');
    const edits = new UnsyncedEdits(db);
    await edits.add({ sku: 'KIT', field: 'shelf', at: 1 });
    await edits.add({ sku: 'KIT', field: 'notes', at: 2 });
    await edits.add({ sku: 'KIT', field: 'shelf', at: 3 });
    const reloaded = new UnsyncedEdits(db);
    expect(await reloaded.load()).toEqual([
      { sku: 'KIT', field: 'notes', at: 2 },
      { sku: 'KIT', field: 'shelf', at: 3 },
    ]);
    expect(await reloaded.clear()).toEqual([]);
    expect(await new UnsyncedEdits(db).load()).toEqual([]);
    db.close();
  });
});
