import { describe, expect, it } from 'vitest';
import { slotBookability } from '../../shared/slot-status.ts';
import { slotOpensAt, zonedTimeToEpochMs } from '../../shared/time.ts';

const slot = (date: string, time: string, timeZone: string, remaining = 3) => ({
  startsAt: zonedTimeToEpochMs(date, time, timeZone),
  opensAt: slotOpensAt(date, timeZone),
  remaining,
});

describe('slotBookability', () => {
  const hnl = slot('2026-11-24', '09:00', 'Pacific/Honolulu');

  it('is open between opening and start while spots remain', () => {
    expect(slotBookability(hnl, hnl.opensAt)).toEqual({ status: 'open', bookable: true });
    expect(slotBookability(hnl, hnl.startsAt - 1)).toEqual({ status: 'open', bookable: true });
  });

  it('says when a slot not open yet opens (midnight store time the day before)', () => {
    expect(slotBookability(hnl, hnl.opensAt - 1)).toEqual({
      status: 'not_open',
      bookable: false,
      opensAt: Date.parse('2026-11-23T10:00:00Z'),
    });
  });

  it('a started slot cannot be booked, full or not', () => {
    expect(slotBookability(hnl, hnl.startsAt)).toEqual({ status: 'started', bookable: false });
    expect(slotBookability({ ...hnl, remaining: 0 }, hnl.startsAt + 1).status).toBe('started');
  });

  it('a full slot cannot be booked', () => {
    expect(slotBookability({ ...hnl, remaining: 0 }, hnl.opensAt + 1)).toEqual({
      status: 'full',
      bookable: false,
    });
  });

  it('across a daylight-saving change the opening is still local midnight', () => {
    // New York springs forward on 2026-03-08: the day before the 9th is 23 hours long.
    const ny = slot('2026-03-09', '09:00', 'America/New_York');
    expect(ny.opensAt).toBe(Date.parse('2026-03-08T05:00:00Z')); // midnight EST
    expect(ny.startsAt).toBe(Date.parse('2026-03-09T13:00:00Z')); // 9:00 EDT
    expect(slotBookability(ny, Date.parse('2026-03-08T04:59:59Z')).status).toBe('not_open');
    expect(slotBookability(ny, Date.parse('2026-03-08T05:00:00Z')).status).toBe('open');
    // And falls back on 2026-11-01: the slot on the 2nd opens at midnight EDT of the 1st.
    const fall = slot('2026-11-02', '09:00', 'America/New_York');
    expect(fall.opensAt).toBe(Date.parse('2026-11-01T04:00:00Z'));
    expect(fall.startsAt).toBe(Date.parse('2026-11-02T14:00:00Z')); // 9:00 EST
  });
});
