/**
 * An event's schedule at one store (issue 21 §2): which weekdays, the hours (default the
 * store's opening hours), slot length, seats per slot and how many days ahead slots exist.
 * Pure: the server's filler turns a schedule and the store's hours into one day's slots.
 */
import { z } from 'zod';
import {
  dayRangesSchema,
  hoursOn,
  type StoreHours,
  WEEKDAYS,
  wallTimeToEpochMs,
  weekdayOf,
} from './opening-hours.ts';
import { timeInZone, zonedTimeToEpochMs } from './time.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The seed's retailer plans a quarter ahead at most. */
export const MAX_DAYS_AHEAD = 92;

export const eventScheduleSchema = z
  .object({
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    /** Own hours for the event; absent means the store's opening hours of each day. */
    ranges: dayRangesSchema.min(1).optional(),
    slotMinutes: z.number().int().min(5).max(480),
    capacity: z.number().int().min(1).max(100_000),
    daysAhead: z.number().int().min(1).max(MAX_DAYS_AHEAD),
  })
  .strict()
  .refine((s) => new Set(s.weekdays).size === s.weekdays.length, {
    message: 'each weekday once',
    path: ['weekdays'],
  });
export type EventSchedule = z.infer<typeof eventScheduleSchema>;

/** One planned slot: its wall time (for its id) and instants. */
export interface PlannedSlot {
  time: string;
  startsAt: number;
  endsAt: number;
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function wallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The slots of `date`: none on a weekday the schedule skips or a day the store is closed
 * (a holiday closes the event too, whatever its own hours). Slots step in wall-clock time,
 * so a DST day still starts at the hours the store opens; the hour a spring-forward skips has
 * none, and the hour a fall-back repeats has one.
 */
export function plannedSlotsOn(
  schedule: EventSchedule,
  hours: StoreHours,
  date: string,
  timeZone: string,
): PlannedSlot[] {
  if (!schedule.weekdays.includes(weekdayOf(date))) return [];
  const storeRanges = hoursOn(hours, date).ranges;
  if (storeRanges.length === 0) return [];
  const slots: PlannedSlot[] = [];
  // A day of exactly 24 hours has one offset throughout (every day but the two DST days), so
  // its slots are minutes after midnight, without asking Intl for each one.
  const midnight = zonedTimeToEpochMs(date, '00:00', timeZone);
  const steady = wallTimeToEpochMs(date, '24:00', timeZone) - midnight === DAY_MS;
  for (const range of schedule.ranges ?? storeRanges) {
    const end = minutesOf(range.closes);
    for (let m = minutesOf(range.opens); m + schedule.slotMinutes <= end; m += schedule.slotMinutes) {
      const time = wallTime(m);
      const startsAt = steady ? midnight + m * MINUTE_MS : wallTimeToEpochMs(date, time, timeZone);
      // A wall time the spring-forward gap skips (02:30 in Los Angeles) has no slot.
      if (!steady && timeInZone(startsAt, timeZone) !== time) continue;
      slots.push({ time, startsAt, endsAt: startsAt + schedule.slotMinutes * MINUTE_MS });
    }
  }
  return slots;
}
