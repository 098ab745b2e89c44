import { z } from 'zod';
import { eventViewSchema, generatedSlotsSchema } from '../../shared/api/bookings.ts';
import { slugSchema } from '../../shared/api/common.ts';
import { recordEventSaved, recordSlotsGenerated } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import {
  bookingLimitSchema,
  createEvent,
  createEventSchema,
  generateSlots,
  generateSlotsSchema,
  readEvent,
  setBookingLimit,
} from './events.ts';

/** Without a date, the slot list covers the coming week. */

/** The admin's appointment routes: events, their booking limits and slot plans (auth is applied in app.ts). */
export function appointmentAdminRoutes(deps: Deps) {
  const app = apiRouter();
  // --- admin ---
  declareRoute(
    app,
    {
      method: 'post',
      path: '/admin/events',
      summary: 'Create an event',
      access: 'admin',
      body: createEventSchema,
      ok: { status: 201, schema: eventViewSchema, description: 'The event' },
    },
    async (c) => {
      const before = await readEvent(deps, c.req.valid('json').id);
      const event = await createEvent(deps, c.req.valid('json'));
      await recordEventSaved(deps, c.get('actor'), event, before);
      return event;
    },
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/admin/events/{eventId}/booking-limit',
      summary: 'Set how many active bookings one customer may hold for an event',
      access: 'admin',
      params: z.object({ eventId: slugSchema }),
      body: bookingLimitSchema,
      ok: { status: 200, schema: eventViewSchema, description: 'The event with its limit' },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => {
      const event = await setBookingLimit(
        deps,
        c.req.valid('param').eventId,
        c.req.valid('json').perCustomerLimit,
      );
      await recordEventSaved(deps, c.get('actor'), event, event);
      return event;
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/admin/events/{eventId}/slots',
      summary: 'Generate slots in store time',
      access: 'admin',
      params: z.object({ eventId: slugSchema }),
      body: generateSlotsSchema,
      ok: { status: 201, schema: generatedSlotsSchema, description: 'How many slots were written' },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND', 'CAPACITY_BELOW_BOOKED'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      const plan = c.req.valid('json');
      const generated = await generateSlots(deps, { ...plan, eventId });
      await recordSlotsGenerated(deps, c.get('actor'), eventId, plan, generated.slots);
      return generated;
    },
  );
  return app;
}
