import { describe, expect, it } from 'vitest';
import {
  addDays,
  DAY_MS,
  dateInZone,
  nextMidnight,
  slotOpensAt,
  timeInZone,
  zonedTimeToEpochMs,
} from '../../shared/time.ts';

const HONOLULU = 'Pacific/Honolulu';
/** A zone with daylight saving: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00. */
const LOS_ANGELES = 'America/Los_Angeles';
const utc = (iso: string) => Date.parse(iso);

describe('wall-clock time in a store’s zone', () => {
  it('turns a store’s wall-clock time into an instant, in a zone without daylight saving', () => {
    expect(zonedTimeToEpochMs('2026-11-23', '10:30', HONOLULU)).toBe(utc('2026-11-23T20:30:00Z'));
    expect(zonedTimeToEpochMs('2026-11-23', '00:00', HONOLULU)).toBe(utc('2026-11-23T10:00:00Z'));
  });

  it('uses the offset in force on that day on both sides of a daylight-saving change', () => {
    expect(zonedTimeToEpochMs('2026-03-08', '00:00', LOS_ANGELES)).toBe(utc('2026-03-08T08:00:00Z'));
    expect(zonedTimeToEpochMs('2026-03-08', '03:00', LOS_ANGELES)).toBe(utc('2026-03-08T10:00:00Z'));
    expect(zonedTimeToEpochMs('2026-11-01', '00:00', LOS_ANGELES)).toBe(utc('2026-11-01T07:00:00Z'));
    expect(zonedTimeToEpochMs('2026-11-01', '12:00', LOS_ANGELES)).toBe(utc('2026-11-01T20:00:00Z'));
  });

  it('opens a slot at midnight store time the day before, even when that night changes the clock', () => {
    expect(slotOpensAt('2026-11-24', HONOLULU)).toBe(utc('2026-11-23T10:00:00Z'));
    // The slot on 9 March opens at midnight of 8 March, still standard time (UTC-8).
    expect(slotOpensAt('2026-03-09', LOS_ANGELES)).toBe(utc('2026-03-08T08:00:00Z'));
    // The slot on 2 November opens at midnight of 1 November, still daylight time (UTC-7).
    expect(slotOpensAt('2026-11-02', LOS_ANGELES)).toBe(utc('2026-11-01T07:00:00Z'));
  });

  it('tells the store’s date and time, not the machine’s or UTC’s', () => {
    // 09:59 UTC on the 22nd is still the evening of the 21st in Honolulu.
    expect(dateInZone(utc('2026-11-22T09:59:00Z'), HONOLULU)).toBe('2026-11-21');
    expect(timeInZone(utc('2026-11-22T09:59:00Z'), HONOLULU)).toBe('23:59');
    expect(dateInZone(utc('2026-11-22T10:00:00Z'), HONOLULU)).toBe('2026-11-22');
    expect(timeInZone(utc('2026-11-01T09:30:00Z'), LOS_ANGELES)).toBe('01:30');
    expect(timeInZone(utc('2026-11-01T08:30:00Z'), LOS_ANGELES)).toBe('01:30');
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('the next midnight in a zone with daylight saving (America/Los_Angeles)', () => {
  const LA = 'America/Los_Angeles';

  it('is 23 hours after the last on the day the clocks spring forward (2026-03-08)', () => {
    const noonBefore = Date.parse('2026-03-07T12:00:00-08:00');
    expect(nextMidnight(noonBefore, LA)).toBe(Date.parse('2026-03-08T00:00:00-08:00'));
    const midnight = Date.parse('2026-03-08T00:00:00-08:00');
    const next = nextMidnight(midnight, LA);
    expect(next).toBe(Date.parse('2026-03-09T00:00:00-07:00'));
    expect(next - midnight).toBe(DAY_MS - 3_600_000);
  });

  it('is 25 hours after the last on the day the clocks fall back (2026-11-01)', () => {
    const midnight = Date.parse('2026-11-01T00:00:00-07:00');
    const next = nextMidnight(midnight + 1, LA);
    expect(next).toBe(Date.parse('2026-11-02T00:00:00-08:00'));
    expect(next - midnight).toBe(DAY_MS + 3_600_000);
    // In the repeated hour (01:30 happens twice), the next midnight is the same.
    expect(nextMidnight(Date.parse('2026-11-01T01:30:00-07:00'), LA)).toBe(next);
    expect(nextMidnight(Date.parse('2026-11-01T01:30:00-08:00'), LA)).toBe(next);
  });

  it('is the following midnight for the last instant of a day, and in a zone without daylight saving', () => {
    const lastMs = Date.parse('2026-03-08T23:59:59.999-07:00');
    expect(nextMidnight(lastMs, LA)).toBe(lastMs + 1);
    expect(nextMidnight(Date.parse('2026-03-08T12:00:00-10:00'), 'Pacific/Honolulu')).toBe(
      Date.parse('2026-03-09T00:00:00-10:00'),
    );
  });
});
