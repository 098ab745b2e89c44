/**
 * A store's opening hours (issue 21 §1): a week of wall-clock ranges in the store's zone, and
 * dated exceptions (closed all day with a label, or other hours for a date or range of dates).
 * Pure: the server, the tablet and the customer site read the same answer for the same day.
 */
import { z } from 'zod';
import { isCalendarDate } from './api/common.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from './time.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Several ranges a day are enough for a lunch break; more is a typo. */
const MAX_RANGES_PER_DAY = 4;
const MAX_EXCEPTIONS = 200;
/** An exception longer than this (a refit of a season) is better written as new weekly hours. */
const MAX_EXCEPTION_DAYS = 92;

/** "HH:MM", 00:00 to 24:00 (24:00 is the midnight that ends the day). */
const wallTimeSchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time as HH:MM, 00:00 to 24:00');
const dateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'a day that exists on the calendar');

export const openRangeSchema = z
  .object({ opens: wallTimeSchema, closes: wallTimeSchema })
  .strict()
  .refine((r) => r.opens < r.closes, { message: 'opens must be before closes', path: ['closes'] });
export type OpenRange = z.infer<typeof openRangeSchema>;

/** One day's ranges, in order and apart; empty means closed. */
export const dayRangesSchema = z
  .array(openRangeSchema)
  .max(MAX_RANGES_PER_DAY)
  .refine((ranges) => ranges.every((r, i) => i === 0 || (ranges[i - 1]?.closes ?? '') < r.opens), {
    message: 'ranges must be in order and must not touch or overlap',
  });

export const weeklyHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, dayRangesSchema])) as Record<Weekday, typeof dayRangesSchema>,
  )
  .strict();
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** A holiday (no ranges: closed all day) or other hours, from `from` to `to` inclusive. */
export const hoursExceptionSchema = z
  .object({
    from: dateOnlySchema,
    to: dateOnlySchema,
    label: z.string().trim().min(1).max(60),
    ranges: dayRangesSchema,
  })
  .strict()
  .refine((e) => e.from <= e.to, { message: 'from must not be after to', path: ['to'] })
  .refine((e) => e.to <= addDays(e.from, MAX_EXCEPTION_DAYS - 1), {
    message: `an exception covers at most ${MAX_EXCEPTION_DAYS} days`,
    path: ['to'],
  });
export type HoursException = z.infer<typeof hoursExceptionSchema>;

export const storeHoursSchema = z
  .object({
    weekly: weeklyHoursSchema,
    exceptions: z.array(hoursExceptionSchema).max(MAX_EXCEPTIONS),
  })
  .strict()
  .refine((h) => !overlappingException(h.exceptions), {
    message: 'two exceptions cover the same day',
    path: ['exceptions'],
  });
export type StoreHours = z.infer<typeof storeHoursSchema>;

function overlappingException(exceptions: readonly HoursException[]): boolean {
  const sorted = [...exceptions].sort((a, b) => a.from.localeCompare(b.from));
  return sorted.some((e, i) => i > 0 && (sorted[i - 1]?.to ?? '') >= e.from);
}

/** The weekday of a calendar date (the date itself, in no zone). */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? 'sun';
}

/** A store's hours on one date: its ranges, and the exception's label when one applies. */
export interface DayHours {
  date: string;
  ranges: OpenRange[];
  label?: string;
}

/** The ranges on `date`: an exception covering it wins over the week. */
export function hoursOn(hours: StoreHours, date: string): DayHours {
  const exception = hours.exceptions.find((e) => e.from <= date && date <= e.to);
  if (exception) return { date, ranges: exception.ranges, label: exception.label };
  return { date, ranges: hours.weekly[weekdayOf(date)] };
}

/** An instant range [opensAt, closesAt) in epoch ms. */
export interface Opening {
  opensAt: number;
  closesAt: number;
}

/** The instant a wall time on `date` falls at; 24:00 is the next day's midnight. */
export function wallTimeToEpochMs(date: string, time: string, timeZone: string): number {
  if (time === '24:00') return zonedTimeToEpochMs(addDays(date, 1), '00:00', timeZone);
  return zonedTimeToEpochMs(date, time, timeZone);
}

/** The store's openings on `date` as instants: a DST day is an hour shorter or longer. */
export function openingsOn(hours: StoreHours, date: string, timeZone: string): Opening[] {
  return hoursOn(hours, date).ranges.map((r) => ({
    opensAt: wallTimeToEpochMs(date, r.opens, timeZone),
    closesAt: wallTimeToEpochMs(date, r.closes, timeZone),
  }));
}

/** Whether the store is open at instant `at`. */
export function isOpenAt(hours: StoreHours, at: number, timeZone: string): boolean {
  return openingsOn(hours, dateInZone(at, timeZone), timeZone).some(
    (o) => o.opensAt <= at && at < o.closesAt,
  );
}

/** "9:00 AM" for a wall time, "12:00 AM" for 24:00 (midnight). */
export function wallTimeLabel(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const hour = h % 24;
  return `${hour % 12 === 0 ? 12 : hour % 12}:${String(m).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** The zone's short name at that instant ("HST", "PDT"), as customers read it on a clock. */
export function zoneAbbreviation(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** "Open today 9:00 AM - 9:00 PM HST", "Closed today: Thanksgiving" or "Closed today". */
export function todayHoursLabel(hours: StoreHours, at: number, timeZone: string): string {
  const day = hoursOn(hours, dateInZone(at, timeZone));
  if (day.ranges.length === 0) return day.label ? `Closed today: ${day.label}` : 'Closed today';
  const ranges = day.ranges.map((r) => `${wallTimeLabel(r.opens)} - ${wallTimeLabel(r.closes)}`);
  return `Open today ${ranges.join(', ')} ${zoneAbbreviation(at, timeZone)}`;
}

/** Hours a store has until an admin sets its own: closed every day, so nothing is promised. */
export const NO_HOURS: StoreHours = {
  weekly: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] },
  exceptions: [],
};
