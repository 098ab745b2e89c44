import { describe, expect, it } from 'vitest';
import { slotState } from '../../shared/slot-state.ts';
import { slotOpensAt, zonedTimeToEpochMs } from '../../shared/time.ts';

/** shared/slot-state.ts on real store times: Honolulu (no DST) and New York across both changes. */
const slot = (date: string, time: string, timeZone: string, remaining = 3) => ({
  startsAt: zonedTimeToEpochMs(date, time, timeZone),
  opensAt: slotOpensAt(date, timeZone),
  remaining,
});

describe('slot state in a store zone', () => {
  it('a Honolulu slot opens at midnight HST the day before and closes at its start', () => {
    const hnl = slot('2026-11-24', '09:00', 'Pacific/Honolulu');
    expect(hnl.opensAt).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(slotState(hnl, hnl.opensAt - 1)).toBe('not_open');
    expect(slotState(hnl, hnl.opensAt)).toBe('open');
    expect(slotState(hnl, hnl.startsAt)).toBe('started');
    expect(slotState({ ...hnl, remaining: 0 }, hnl.opensAt)).toBe('full');
  });

  it('across the spring-forward day the opening is still local midnight', () => {
    // New York springs forward on 2026-03-08: that day is 23 hours long.
    const ny = slot('2026-03-09', '09:00', 'America/New_York');
    expect(ny.opensAt).toBe(Date.parse('2026-03-08T05:00:00Z')); // midnight EST
    expect(ny.startsAt).toBe(Date.parse('2026-03-09T13:00:00Z')); // 9:00 EDT
    expect(slotState(ny, Date.parse('2026-03-08T04:59:59Z'))).toBe('not_open');
    expect(slotState(ny, Date.parse('2026-03-08T05:00:00Z'))).toBe('open');
  });

  it('across the fall-back day too', () => {
    // New York falls back on 2026-11-01: that day is 25 hours long.
    const ny = slot('2026-11-02', '09:00', 'America/New_York');
    expect(ny.opensAt).toBe(Date.parse('2026-11-01T04:00:00Z')); // midnight EDT
    expect(ny.startsAt).toBe(Date.parse('2026-11-02T14:00:00Z')); // 9:00 EST
    expect(slotState(ny, Date.parse('2026-11-02T13:59:59Z'))).toBe('open');
  });
});
