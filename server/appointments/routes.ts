import { z } from 'zod';
import {
  bookingIdSchema,
  bookingViewSchema,
  createBookingSchema,
  createdBookingSchema,
  customerBookingSchema,
  eventListSchema,
  rescheduleBookingSchema,
  slotListSchema,
  slotQuerySchema,
  staffAppointmentsSchema,
  staffBookingSchema,
} from '../../shared/api/bookings.ts';
import { dateSchema, slugSchema } from '../../shared/api/common.ts';
import { STAFF_BOOKING_STEP_PATHS, type StaffBookingStep } from '../../shared/booking-steps.ts';
import { slotState } from '../../shared/slot-state.ts';
import { addDays, DAY_MS, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { bearerToken, staffActor } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { mutationContext, replyWith } from '../http/mutation.ts';
import { rateLimitPerIdentity, rateLimitPublicWrites } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { listStores, readStore } from '../stores/stores.ts';
import {
  bookingView,
  bookingViewForStaff,
  cancelBooking,
  createBooking,
  listStoreBookings,
  markBooking,
  readBookingForCustomer,
  rescheduleBooking,
} from './bookings.ts';
import { listEvents, listSlots, readEvent } from './events.ts';

/** Without a date, the slot list covers the coming week. */
const DEFAULT_SLOT_WINDOW_DAYS = 8;

/** The staff booking steps (URL segments in shared/booking-steps.ts), with what each does. */
const STAFF_STEPS = [
  ['ack', 'The store has seen the booking (the customer is told)'],
  ['check_in', 'The customer arrived'],
  ['no_show', 'The customer did not come (only once the slot has started: SLOT_NOT_STARTED before)'],
  ['undo', 'Takes back a check-in or no-show within 30 minutes (the booking is booked again)'],
  ['cancel', 'The store cancels it (the seat comes back)'],
] as const satisfies readonly (readonly [StaffBookingStep, string])[];

/** A customer's manage token; without it a booking is "not found" (existence is not revealed). */
function manageToken(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token) throw new AppError('BOOKING_NOT_FOUND');
  return token;
}

const bookingParams = z.object({ bookingId: bookingIdSchema });

/** Events, slots and bookings: public, staff and admin routes (auth is applied in app.ts). Mount at /api. */
export function appointmentRoutes(deps: Deps) {
  const app = apiRouter();
  const publicWrites = rateLimitPublicWrites(deps);
  const perIdentity = rateLimitPerIdentity(deps);

  declareRoute(
    app,
    {
      method: 'get',
      path: '/events',
      summary: 'Appointment events',
      access: 'public',
      ok: { status: 200, schema: eventListSchema, description: 'Every event, by id' },
    },
    async () => ({ events: await listEvents(deps) }),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/slots',
      summary: 'Slots with remaining seats',
      access: 'public',
      params: z.object({ eventId: slugSchema }),
      query: slotQuerySchema,
      ok: {
        status: 200,
        schema: slotListSchema,
        description: 'Slots by start time: of `date` in each store’s time, else of the coming week',
      },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
      const query = c.req.valid('query');
      const stores = query.storeId ? [await readStore(deps, query.storeId)] : await listStores(deps);
      if (stores.some((s) => s === undefined)) throw new AppError('STORE_NOT_FOUND');
      const slots = await Promise.all(
        stores.map((store) => {
          if (!store) return [];
          if (!query.date)
            return listSlots(
              deps,
              eventId,
              [store.id],
              deps.clock.now(),
              deps.clock.now() + DEFAULT_SLOT_WINDOW_DAYS * DAY_MS,
            );
          const from = zonedTimeToEpochMs(query.date, '00:00', store.timeZone);
          const to = zonedTimeToEpochMs(addDays(query.date, 1), '00:00', store.timeZone);
          return listSlots(deps, eventId, [store.id], from, to);
        }),
      );
      const now = deps.clock.now();
      return {
        slots: slots
          .flat()
          .sort((a, b) => a.startsAt - b.startsAt || a.storeId.localeCompare(b.storeId))
          .map((slot) => ({ ...slot, state: slotState(slot, now) })),
      };
    },
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/bookings',
      summary:
        'Book a seat (while the event’s waiting room is on, with its ticket in the Waiting-Room-Ticket header)',
      access: 'public',
      rateLimit: publicWrites,
      body: createBookingSchema,
      idempotent: true,
      ok: { status: 201, schema: createdBookingSchema, description: 'The booking and its manage token' },
      errors: [
        'EVENT_NOT_FOUND',
        'SLOT_NOT_FOUND',
        'SLOT_FULL',
        'SLOT_NOT_OPEN',
        'SLOT_CLOSED',
        'BOOKING_LIMIT_REACHED',
        'WAITING_ROOM_TICKET_REQUIRED',
      ],
    },
    async (c) => {
      const request = c.req.valid('json');
      await perIdentity(c, request.customer);
      const ctx = mutationContext(c, 'booking.create', request.slotId, request);
      const ticket = c.req.header(WAITING_ROOM_TICKET_HEADER);
      return replyWith(c, await createBooking(deps, request, ctx, ticket));
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/bookings/{bookingId}',
      summary: 'A booking (send its manage token as the bearer credential)',
      access: 'customer',
      params: bookingParams,
      ok: {
        status: 200,
        schema: customerBookingSchema,
        description: 'The booking and whether the store has it',
      },
      errors: ['BOOKING_NOT_FOUND'],
    },
    async (c) =>
      await readBookingForCustomer(
        deps,
        c.req.valid('param').bookingId,
        manageToken(c.req.header('authorization')),
      ),
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/bookings/{bookingId}/reschedule',
      summary: 'Move to another slot (new seat taken first)',
      access: 'customer',
      rateLimit: publicWrites,
      params: bookingParams,
      body: rescheduleBookingSchema,
      idempotent: true,
      ok: { status: 200, schema: bookingViewSchema, description: 'The booking in its new slot' },
      errors: [
        'BOOKING_NOT_FOUND',
        'INVALID_TRANSITION',
        'SLOT_NOT_FOUND',
        'SLOT_FULL',
        'SLOT_NOT_OPEN',
        'SLOT_CLOSED',
        'WAITING_ROOM_TICKET_REQUIRED',
      ],
    },
    async (c) => {
      const { bookingId } = c.req.valid('param');
      const token = manageToken(c.req.header('authorization'));
      const { slotId } = c.req.valid('json');
      const ctx = mutationContext(c, 'booking.reschedule', bookingId, { slotId });
      const ticket = c.req.header(WAITING_ROOM_TICKET_HEADER);
      return bookingView(replyWith(c, await rescheduleBooking(deps, bookingId, slotId, token, ctx, ticket)));
    },
  );

  declareRoute(
    app,
    {
      method: 'delete',
      path: '/bookings/{bookingId}',
      summary: 'Cancel a booking',
      access: 'customer',
      rateLimit: publicWrites,
      params: bookingParams,
      idempotent: true,
      ok: { status: 200, schema: bookingViewSchema, description: 'The cancelled booking' },
      errors: ['BOOKING_NOT_FOUND', 'INVALID_TRANSITION'],
    },
    async (c) => {
      const { bookingId } = c.req.valid('param');
      const token = manageToken(c.req.header('authorization'));
      const ctx = mutationContext(c, 'booking.cancel', bookingId, {});
      return bookingView(replyWith(c, await cancelBooking(deps, bookingId, { manageToken: token }, ctx)));
    },
  );

  // --- staff ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/staff/{storeId}/appointments',
      summary: 'The day’s bookings',
      access: 'staff',
      params: z.object({ storeId: z.string() }),
      query: z.object({ date: dateSchema.optional() }),
      ok: {
        status: 200,
        schema: staffAppointmentsSchema,
        description: 'Bookings of `date` (default: today in store time)',
      },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { storeId } = staffActor(c);
      const store = await readStore(deps, storeId);
      if (!store) throw new AppError('STORE_NOT_FOUND');
      const { date } = c.req.valid('query');
      const day = date ?? dateInZone(deps.clock.now(), store.timeZone);
      const from = zonedTimeToEpochMs(day, '00:00', store.timeZone);
      const to = zonedTimeToEpochMs(addDays(day, 1), '00:00', store.timeZone);
      return { date: day, bookings: await listStoreBookings(deps, storeId, from, to) };
    },
  );

  for (const [mark, summary] of STAFF_STEPS) {
    declareRoute(
      app,
      {
        method: 'post',
        path: `/staff/{storeId}/bookings/{bookingId}/${STAFF_BOOKING_STEP_PATHS[mark]}`,
        summary,
        access: 'staff',
        params: z.object({ storeId: z.string(), bookingId: bookingIdSchema }),
        idempotent: true,
        ok: { status: 200, schema: staffBookingSchema, description: 'The booking after the step' },
        errors: ['BOOKING_NOT_FOUND', 'INVALID_TRANSITION', 'SLOT_NOT_STARTED', 'UNDO_WINDOW_PASSED'],
      },
      async (c) => {
        const { bookingId } = c.req.valid('param');
        const ctx = mutationContext(c, `booking.${mark}`, bookingId, {});
        const outcome =
          mark === 'cancel'
            ? await cancelBooking(deps, bookingId, staffActor(c), ctx)
            : await markBooking(deps, bookingId, mark, staffActor(c), ctx);
        return bookingViewForStaff(replyWith(c, outcome));
      },
    );
  }

  return app;
}
