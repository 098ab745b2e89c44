import { describe, expect, it } from 'vitest';
import { rebuildDelayMs } from '../../server/projection/store-projection.ts';

const HOUR_MS = 3_600_000;
const LA = 'America/Los_Angeles';

describe('when the projection rebuilds for the store’s next day', () => {
  it('waits until the store’s midnight, at most an hour at a time', () => {
    expect(rebuildDelayMs(Date.parse('2026-03-07T23:30:00-08:00'), LA)).toBe(30 * 60_000);
    expect(rebuildDelayMs(Date.parse('2026-03-07T12:00:00-08:00'), LA)).toBe(HOUR_MS);
  });

  it('rebuilds at midnight before the clocks spring forward, not an hour early (2026-03-08 in Los Angeles)', () => {
    // The day before the change: 23:00 used to count as midnight (the window's end, Monday
    // 00:00 PDT, minus 24 hours), so it rebuilt every second for an hour.
    expect(rebuildDelayMs(Date.parse('2026-03-07T23:00:00-08:00'), LA)).toBe(HOUR_MS);
    expect(rebuildDelayMs(Date.parse('2026-03-07T23:59:00-08:00'), LA)).toBe(60_000);
  });

  it('rebuilds at midnight before the clocks fall back, not an hour late (2026-11-01 in Los Angeles)', () => {
    // The day before the change: midnight used to come at 01:00 (Monday 00:00 PST minus 24 hours).
    expect(rebuildDelayMs(Date.parse('2026-10-31T23:30:00-07:00'), LA)).toBe(30 * 60_000);
    expect(rebuildDelayMs(Date.parse('2026-11-01T00:00:00-07:00'), LA)).toBe(HOUR_MS);
  });
});
