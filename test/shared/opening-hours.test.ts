import { describe, expect, it } from 'vitest';
import { eventScheduleSchema, plannedSlotsOn } from '../../shared/event-schedule.ts';
import {
  hoursOn,
  isOpenAt,
  openingsOn,
  type StoreHours,
  storeHoursSchema,
  todayHoursLabel,
} from '../../shared/opening-hours.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';

const LA = 'America/Los_Angeles';
const HONOLULU = 'Pacific/Honolulu';
const HOUR_MS = 3_600_000;
const nine = [{ opens: '09:00', closes: '21:00' }];
const week: StoreHours = {
  weekly: {
    sun: [{ opens: '10:00', closes: '18:00' }],
    mon: nine,
    tue: nine,
    wed: nine,
    thu: nine,
    fri: nine,
    sat: nine,
  },
  exceptions: [
    { from: '2026-11-26', to: '2026-11-26', label: 'Thanksgiving', ranges: [] },
    {
      from: '2026-12-24',
      to: '2026-12-24',
      label: 'Christmas Eve',
      ranges: [{ opens: '09:00', closes: '15:00' }],
    },
  ],
};

describe('opening hours (issue 21 §1)', () => {
  it('accepts a week with exceptions and refuses overlaps, reversed ranges and bad dates', () => {
    expect(storeHoursSchema.safeParse(week).success).toBe(true);
    const bad = (patch: Partial<StoreHours>) => storeHoursSchema.safeParse({ ...week, ...patch }).success;
    expect(bad({ weekly: { ...week.weekly, mon: [{ opens: '21:00', closes: '09:00' }] } })).toBe(false);
    expect(
      bad({
        weekly: {
          ...week.weekly,
          mon: [
            { opens: '09:00', closes: '13:00' },
            { opens: '12:00', closes: '17:00' },
          ],
        },
      }),
    ).toBe(false);
    expect(bad({ exceptions: [{ from: '2026-02-30', to: '2026-02-30', label: 'x', ranges: [] }] })).toBe(
      false,
    );
    expect(
      bad({
        exceptions: [
          { from: '2026-12-20', to: '2026-12-26', label: 'Refit', ranges: [] },
          { from: '2026-12-24', to: '2026-12-24', label: 'Eve', ranges: [] },
        ],
      }),
    ).toBe(false);
  });

  it('lets a dated exception win over the week and labels it', () => {
    expect(hoursOn(week, '2026-11-26')).toEqual({ date: '2026-11-26', ranges: [], label: 'Thanksgiving' });
    expect(hoursOn(week, '2026-12-24').ranges).toEqual([{ opens: '09:00', closes: '15:00' }]);
    expect(hoursOn(week, '2026-11-25').ranges).toEqual(nine);
  });

  it('keeps 9:00 to 21:00 wall-clock on both LA daylight-saving days (11 and 13 hours of instants)', () => {
    // 2026-03-08 is a Sunday (10-18 here): spring forward at 02:00; 2026-11-01 too: fall back.
    for (const [date, length] of [
      ['2026-03-08', 8],
      ['2026-11-01', 8],
    ] as const) {
      const [o] = openingsOn(week, date, LA);
      expect(o?.opensAt).toBe(zonedTimeToEpochMs(date, '10:00', LA));
      expect(((o?.closesAt ?? 0) - (o?.opensAt ?? 0)) / HOUR_MS).toBe(length);
    }
    const allDay: StoreHours = {
      ...week,
      weekly: { ...week.weekly, sun: [{ opens: '00:00', closes: '24:00' }] },
    };
    const spring = openingsOn(allDay, '2026-03-08', LA)[0];
    const fall = openingsOn(allDay, '2026-11-01', LA)[0];
    expect(((spring?.closesAt ?? 0) - (spring?.opensAt ?? 0)) / HOUR_MS).toBe(23);
    expect(((fall?.closesAt ?? 0) - (fall?.opensAt ?? 0)) / HOUR_MS).toBe(25);
  });

  it('answers open or closed at an instant, in the store zone whatever the UTC date', () => {
    // 2026-03-09 (Mon) 08:59 PDT is closed, 09:00 open, 20:59 open, 21:00 closed.
    const at = (t: string) => zonedTimeToEpochMs('2026-03-09', t, LA);
    expect(isOpenAt(week, at('08:59'), LA)).toBe(false);
    expect(isOpenAt(week, at('09:00'), LA)).toBe(true);
    expect(isOpenAt(week, at('20:59'), LA)).toBe(true);
    expect(isOpenAt(week, at('21:00'), LA)).toBe(false);
    // Honolulu has no DST: 20:30 HST on Thanksgiving is 06:30 UTC the next day, and closed.
    expect(isOpenAt(week, zonedTimeToEpochMs('2026-11-26', '20:30', HONOLULU), HONOLULU)).toBe(false);
    expect(isOpenAt(week, zonedTimeToEpochMs('2026-11-27', '20:30', HONOLULU), HONOLULU)).toBe(true);
  });

  it("says today's hours the way a customer reads them, zone labelled", () => {
    const noon = (date: string, zone: string) => zonedTimeToEpochMs(date, '12:00', zone);
    expect(todayHoursLabel(week, noon('2026-11-25', HONOLULU), HONOLULU)).toBe(
      'Open today 9:00 AM - 9:00 PM HST',
    );
    expect(todayHoursLabel(week, noon('2026-11-26', HONOLULU), HONOLULU)).toBe('Closed today: Thanksgiving');
    expect(todayHoursLabel(week, noon('2026-03-08', LA), LA)).toBe('Open today 10:00 AM - 6:00 PM PDT');
    expect(todayHoursLabel(week, noon('2026-11-01', LA), LA)).toBe('Open today 10:00 AM - 6:00 PM PST');
  });
});

describe('event schedule slots (issue 21 §2)', () => {
  const schedule = eventScheduleSchema.parse({
    weekdays: ['sun', 'mon'],
    slotMinutes: 60,
    capacity: 10,
    daysAhead: 14,
  });

  it('follows the store hours, skips other weekdays and closed days', () => {
    expect(plannedSlotsOn(schedule, week, '2026-11-23', HONOLULU).map((s) => s.time)).toEqual(
      ['09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20'].map((h) => `${h}:00`),
    );
    expect(plannedSlotsOn(schedule, week, '2026-11-24', HONOLULU)).toEqual([]);
    const mondayHoliday: StoreHours = {
      ...week,
      exceptions: [{ from: '2026-11-23', to: '2026-11-23', label: 'Refit', ranges: [] }],
    };
    expect(plannedSlotsOn({ ...schedule, ranges: nine }, mondayHoliday, '2026-11-23', HONOLULU)).toEqual([]);
  });

  it('starts slots at the store wall-clock hours on both DST days', () => {
    for (const date of ['2026-03-08', '2026-11-01']) {
      const slots = plannedSlotsOn(schedule, week, date, LA);
      expect(slots.map((s) => s.time)).toEqual([
        '10:00',
        '11:00',
        '12:00',
        '13:00',
        '14:00',
        '15:00',
        '16:00',
        '17:00',
      ]);
      expect(slots[0]?.startsAt).toBe(zonedTimeToEpochMs(date, '10:00', LA));
      expect(slots.every((s) => s.endsAt - s.startsAt === HOUR_MS)).toBe(true);
    }
  });
});
