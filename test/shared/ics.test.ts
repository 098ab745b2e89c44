import { describe, expect, it } from 'vitest';
import { calendarFile } from '../../shared/ics.ts';

describe('the calendar file of a booking', () => {
  it('has one event in UTC, with text escaped, lines ended by CRLF', () => {
    const ics = calendarFile({
      uid: 'launch.01ABC@holdfast',
      title: 'iPhone trade-in, Aiea',
      startsAt: Date.parse('2026-11-24T19:30:00Z'),
      endsAt: Date.parse('2026-11-24T20:00:00Z'),
      location: '99-115 Aiea Heights Dr; Aiea, HI',
      description: 'Manage: https://example.test/bookings/x',
      now: Date.parse('2026-11-22T00:00:00Z'),
    });
    const lines = ics.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('DTSTART:20261124T193000Z');
    expect(lines).toContain('DTEND:20261124T200000Z');
    expect(lines).toContain('SUMMARY:iPhone trade-in\\, Aiea');
    expect(lines).toContain('LOCATION:99-115 Aiea Heights Dr\\; Aiea\\, HI');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines.every((line) => line.length <= 75)).toBe(true);
  });
});
