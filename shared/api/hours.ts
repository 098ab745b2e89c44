import { z } from 'zod';
import { eventScheduleSchema } from '../event-schedule.ts';
import { storeHoursSchema } from '../opening-hours.ts';

/** A store's hours as the console and customers read them; `hours` is null until set. */
export const storeHoursAnswerSchema = z.object({
  hours: storeHoursSchema.nullable(),
  /** "Open today 9:00 AM - 9:00 PM HST" or "Closed today: Thanksgiving", in the store's zone. */
  today: z.string().optional(),
});
export type StoreHoursAnswer = z.infer<typeof storeHoursAnswerSchema>;

/** A booking a closure would affect (CLOSURE_HAS_BOOKINGS details.bookings). */
export const affectedBookingSchema = z.object({
  bookingId: z.string(),
  eventId: z.string(),
  slotId: z.string(),
  startsAt: z.number(),
  customerName: z.string(),
});
export type AffectedBookingView = z.infer<typeof affectedBookingSchema>;

/** What filling a schedule's window did. */
export const fillCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  kept: z.number().int(),
});

/** An event's schedules by store id. */
export const scheduleListSchema = z.object({ schedules: z.record(z.string(), eventScheduleSchema) });

export const savedScheduleSchema = z.object({ schedule: eventScheduleSchema, filled: fillCountsSchema });
export const removedScheduleSchema = z.object({ removed: z.literal(true) });
