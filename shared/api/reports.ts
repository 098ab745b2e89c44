import { z } from 'zod';
import { dateSchema, slugSchema } from './common.ts';

/** `GET /api/admin/reports`: days in each store's own time, both ends included. */
export const reportQuerySchema = z
  .object({ from: dateSchema, to: dateSchema, storeId: slugSchema.optional() })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const count = z.number().int();

/** A store's day (store time): its pickup holds and the units it received. */
export const storeDaySchema = z.object({
  date: z.string(),
  holdsMade: count,
  confirmed: count,
  collected: count,
  expired: count,
  cancelled: count,
  /** Median minutes from a hold being made to its pickup, over the holds collected that day. */
  medianMinutesToPickup: z.number().nullable(),
  unitsReceived: count,
});

/** An event's day at a store (store time). */
export const eventDaySchema = z.object({
  eventId: z.string(),
  date: z.string(),
  bookings: count,
  checkIns: count,
  noShows: count,
  cancellations: count,
});

/** Shrinkage per tablet over the period: units written off, and units a count found missing. */
export const tabletShrinkageSchema = z.object({
  deviceId: z.string(),
  writtenOff: count,
  countShortfall: count,
});

export const storeReportSchema = z.object({
  storeId: z.string(),
  timeZone: z.string(),
  days: z.array(storeDaySchema),
  events: z.array(eventDaySchema),
  tablets: z.array(tabletShrinkageSchema),
});

export const reportSchema = z.object({
  from: z.string(),
  to: z.string(),
  stores: z.array(storeReportSchema),
});
export type Report = z.infer<typeof reportSchema>;
