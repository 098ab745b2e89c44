import { describe, expect, it } from 'vitest';
import { addDays, dateInZone, slotOpensAt, timeInZone, zonedTimeToEpochMs } from '../../shared/time.ts';

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
