import { z } from 'zod';
import { customerSchema, dateSchema, slugSchema } from './common.ts';

export const slotIdSchema = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+\.\d{12}$/, 'a slot id');
/** `<eventId>.<ulid>` (see shared/ids.ts). */
export const bookingIdSchema = z.string().regex(/^[a-z0-9-]+\.[0-9A-HJKMNP-TV-Z]{26}$/, 'a booking id');

export const createBookingSchema = z.object({ slotId: slotIdSchema, customer: customerSchema }).strict();
export type CreateBookingRequest = z.infer<typeof createBookingSchema>;

export const rescheduleBookingSchema = z.object({ slotId: slotIdSchema }).strict();

export const slotQuerySchema = z.object({ storeId: slugSchema.optional(), date: dateSchema.optional() });

export const BOOKING_STATUSES = ['booked', 'checked_in', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface SlotView {
  id: string;
  eventId: string;
  storeId: string;
  startsAt: number;
  endsAt: number;
  opensAt: number;
  capacity: number;
  remaining: number;
}

export interface BookingView {
  id: string;
  eventId: string;
  slotId: string;
  storeId: string;
  startsAt: number;
  status: BookingStatus;
  createdAt: number;
  acknowledgedAt?: number;
  checkedInAt?: number;
  cancelledAt?: number;
  customer: { name: string };
}

export interface CreatedBooking extends BookingView {
  manageToken: string;
}

/** `<eventId>.<storeId>.<yyyymmddhhmm>` (store wall-clock start), see shared/ids.ts. */
export function makeSlotId(eventId: string, storeId: string, date: string, time: string): string {
  return `${eventId}.${storeId}.${date.replaceAll('-', '')}${time.replace(':', '')}`;
}

export function parseSlotId(slotId: string): { eventId: string; storeId: string } | undefined {
  const [eventId, storeId, stamp] = slotId.split('.');
  if (!eventId || !storeId || !stamp) return undefined;
  return { eventId, storeId };
}
