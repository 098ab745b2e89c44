import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  bookingIdSchema,
  createBookingSchema,
  rescheduleBookingSchema,
  slotQuerySchema,
} from '../../shared/api/bookings.ts';
import { dateSchema, slugSchema } from '../../shared/api/common.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { bearerToken, staffActor } from '../auth/middleware.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { mutationContext, respondOutcome } from '../http/mutation.ts';
import { rateLimitPublicWrites } from '../http/rate-limit.ts';
import { parseBody, parseQuery, parseWith } from '../http/validate.ts';
import { listStores, readStore } from '../stock/stores.ts';
import {
  type BookingMark,
  bookingView,
  bookingViewForStaff,
  cancelBooking,
  createBooking,
  listStoreBookings,
  markBooking,
  readBookingForCustomer,
  rescheduleBooking,
} from './bookings.ts';
import {
  createEvent,
  createEventSchema,
  generateSlots,
  generateSlotsSchema,
  listEvents,
  listSlots,
  readEvent,
} from './events.ts';

const DAY_MS = 86_400_000;
/** Without a date, the slot list covers the coming week. */
const DEFAULT_SLOT_WINDOW_DAYS = 8;

/** What each staff step in `POST /staff/:storeId/bookings/:bookingId/<step>` does. */
const STAFF_STEPS = {
  ack: 'ack',
  'check-in': 'check_in',
  'no-show': 'no_show',
  cancel: 'cancel',
} as const satisfies Record<string, BookingMark | 'cancel'>;

function manageToken(c: Context): string {
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw new AppError('BOOKING_NOT_FOUND');
  return token;
}

function bookingIdParam(c: Context): string {
  return parseWith(bookingIdSchema, c.req.param('bookingId'));
}

/** Events, slots and bookings: public, staff and admin routes (auth is applied in app.ts). Mount at /api. */
export function appointmentRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const publicWrites = rateLimitPublicWrites(deps);

  app.get('/events', async (c) => c.json({ events: await listEvents(deps) }));

  app.get('/events/:eventId/slots', async (c) => {
    const eventId = parseWith(slugSchema, c.req.param('eventId'));
    if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
    const query = parseQuery(c, slotQuerySchema);
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
            Date.now(),
            Date.now() + DEFAULT_SLOT_WINDOW_DAYS * DAY_MS,
          );
        const from = zonedTimeToEpochMs(query.date, '00:00', store.timeZone);
        const to = zonedTimeToEpochMs(addDays(query.date, 1), '00:00', store.timeZone);
        return listSlots(deps, eventId, [store.id], from, to);
      }),
    );
    return c.json({
      slots: slots.flat().sort((a, b) => a.startsAt - b.startsAt || a.storeId.localeCompare(b.storeId)),
    });
  });

  app.use('/bookings/*', publicWrites);
  app.post('/bookings', async (c) => {
    const request = await parseBody(c, createBookingSchema);
    const ctx = mutationContext(c, 'booking.create', request.slotId, request);
    return respondOutcome(c, await createBooking(deps, request, ctx), 201, (b) => b);
  });
  app.get('/bookings/:bookingId', async (c) =>
    c.json(await readBookingForCustomer(deps, bookingIdParam(c), manageToken(c))),
  );
  app.post('/bookings/:bookingId/reschedule', async (c) => {
    const bookingId = bookingIdParam(c);
    const token = manageToken(c);
    const { slotId } = await parseBody(c, rescheduleBookingSchema);
    const ctx = mutationContext(c, 'booking.reschedule', bookingId, { slotId });
    return respondOutcome(c, await rescheduleBooking(deps, bookingId, slotId, token, ctx), 200, bookingView);
  });
  app.delete('/bookings/:bookingId', async (c) => {
    const bookingId = bookingIdParam(c);
    const token = manageToken(c);
    const ctx = mutationContext(c, 'booking.cancel', bookingId, {});
    return respondOutcome(
      c,
      await cancelBooking(deps, bookingId, { manageToken: token }, ctx),
      200,
      bookingView,
    );
  });

  // --- staff ---
  const staff = new Hono<AppEnv>();
  staff.get('/:storeId/appointments', async (c) => {
    const { storeId } = staffActor(c);
    const store = await readStore(deps, storeId);
    if (!store) throw new AppError('STORE_NOT_FOUND');
    const { date } = parseQuery(c, z.object({ date: dateSchema.optional() }));
    const day = date ?? dateInZone(Date.now(), store.timeZone);
    const from = zonedTimeToEpochMs(day, '00:00', store.timeZone);
    const to = zonedTimeToEpochMs(addDays(day, 1), '00:00', store.timeZone);
    return c.json({ date: day, bookings: await listStoreBookings(deps, storeId, from, to) });
  });
  staff.post('/:storeId/bookings/:bookingId/:step', async (c) => {
    const step = c.req.param('step');
    if (!Object.hasOwn(STAFF_STEPS, step)) throw new AppError('ROUTE_NOT_FOUND', { path: c.req.path });
    const mark = STAFF_STEPS[step as keyof typeof STAFF_STEPS];
    const bookingId = bookingIdParam(c);
    const ctx = mutationContext(c, `booking.${mark}`, bookingId, {});
    const outcome =
      mark === 'cancel'
        ? await cancelBooking(deps, bookingId, staffActor(c), ctx)
        : await markBooking(deps, bookingId, mark, staffActor(c), ctx);
    return respondOutcome(c, outcome, 200, bookingViewForStaff);
  });
  app.route('/staff', staff);

  // --- admin ---
  const admin = new Hono<AppEnv>();
  admin.post('/events', async (c) =>
    c.json(await createEvent(deps, await parseBody(c, createEventSchema)), 201),
  );
  admin.post('/events/:eventId/slots', async (c) => {
    const eventId = parseWith(slugSchema, c.req.param('eventId'));
    const plan = await parseBody(c, generateSlotsSchema);
    return c.json(await generateSlots(deps, { ...plan, eventId }), 201);
  });
  app.route('/admin', admin);
  return app;
}
