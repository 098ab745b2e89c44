import { z } from 'zod';
import { SLOT_STATES } from '../slot-state.ts';
import { storeAcknowledgementSchema } from './acknowledgement.ts';
import { contactSchema, customerSchema, dateSchema, slugSchema } from './common.ts';

export const slotIdSchema = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+\.\d{12}$/, 'a slot id');
/** `<eventId>.<ulid>` (see shared/ids.ts). */
export const bookingIdSchema = z.string().regex(/^[a-z0-9-]+\.[0-9A-HJKMNP-TV-Z]{26}$/, 'a booking id');

export const createBookingSchema = z.object({ slotId: slotIdSchema, customer: customerSchema }).strict();
export type CreateBookingRequest = z.infer<typeof createBookingSchema>;

export const rescheduleBookingSchema = z.object({ slotId: slotIdSchema }).strict();

export const slotQuerySchema = z.object({ storeId: slugSchema.optional(), date: dateSchema.optional() });

export const BOOKING_STATUSES = ['booked', 'checked_in', 'no_show', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const bookingStatusSchema = z.enum(BOOKING_STATUSES);

/** The most active bookings an admin may allow one customer for an event. */
export const MAX_BOOKINGS_PER_CUSTOMER = 20;

/** An appointment event (e.g. a launch) whose slots are booked at each store. */
export const eventViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  perCustomerLimit: z.number().int().describe('Active bookings one customer may hold for this event'),
});
export type EventView = z.infer<typeof eventViewSchema>;

export const eventListSchema = z.object({ events: z.array(eventViewSchema) });

/** A time slot at one store, with the seats that remain. */
export const slotViewSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  storeId: z.string(),
  startsAt: z.number(),
  endsAt: z.number(),
  opensAt: z.number().describe('When booking this slot opens (midnight store time the day before)'),
  capacity: z.number().int(),
  remaining: z.number().int(),
});
export type SlotView = z.infer<typeof slotViewSchema>;

/** A slot as listed to customers: with whether it can be booked now, and why not (shared/slot-state.ts). */
export const listedSlotSchema = slotViewSchema.extend({
  state: z.enum(SLOT_STATES).describe('open, full, started, or not_open (opens at `opensAt`)'),
});
export type ListedSlot = z.infer<typeof listedSlotSchema>;

export const slotListSchema = z.object({ slots: z.array(listedSlotSchema) });

/** The answer to generating an event's slots: how many were written. */
export const generatedSlotsSchema = z.object({ slots: z.number().int() });

/** A booking as its customer sees it: the customer's name only, never their contact details. */
export const bookingViewSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  slotId: z.string(),
  storeId: z.string(),
  startsAt: z.number(),
  status: bookingStatusSchema,
  createdAt: z.number(),
  acknowledgedAt: z.number().optional(),
  checkedInAt: z.number().optional(),
  noShowAt: z.number().optional(),
  cancelledAt: z.number().optional(),
  customer: z.object({ name: z.string() }).strict(),
});
export type BookingView = z.infer<typeof bookingViewSchema>;

/** The answer to POST /api/bookings: the booking and the secret that manages it. */
export const createdBookingSchema = bookingViewSchema.extend({ manageToken: z.string() });
export type CreatedBooking = z.infer<typeof createdBookingSchema>;

/** `GET /api/bookings/:bookingId`: the booking and whether the store itself has received it. */
export const customerBookingSchema = bookingViewSchema.extend({
  storeAcknowledgement: storeAcknowledgementSchema,
});
export type CustomerBooking = z.infer<typeof customerBookingSchema>;

/** Staff see the contact details too, to reach a customer who is late. */
export const staffBookingSchema = bookingViewSchema.extend({
  customer: contactSchema,
  eventName: z.string().optional().describe('The event’s name, for the tablet’s list'),
});
export type StaffBooking = z.infer<typeof staffBookingSchema>;

/** A store's bookings of one day (in store time), for the tablet. */
export const staffAppointmentsSchema = z.object({ date: z.string(), bookings: z.array(staffBookingSchema) });

/** `<eventId>.<storeId>.<yyyymmddhhmm>` (store wall-clock start), see shared/ids.ts. */
export function makeSlotId(eventId: string, storeId: string, date: string, time: string): string {
  return `${eventId}.${storeId}.${date.replaceAll('-', '')}${time.replace(':', '')}`;
}

export function parseSlotId(slotId: string): { eventId: string; storeId: string } | undefined {
  const [eventId, storeId, stamp] = slotId.split('.');
  if (!eventId || !storeId || !stamp) return undefined;
  return { eventId, storeId };
}
