import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import { removedScheduleSchema, savedScheduleSchema, scheduleListSchema } from '../../shared/api/hours.ts';
import { eventScheduleSchema } from '../../shared/event-schedule.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readEvent } from './events.ts';
import { readSchedules, setSchedule } from './schedules.ts';

const eventParams = z.object({ eventId: slugSchema });
const scheduleParams = z.object({ eventId: slugSchema, storeId: slugSchema });

/** An event's schedules per store (issue 21 §2), admin only. Mounted under /api/admin. */
export function scheduleRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/schedules',
      summary: 'An event’s schedule at each store',
      access: 'admin',
      params: eventParams,
      ok: { status: 200, schema: scheduleListSchema, description: 'Schedules by store id' },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
      return { schedules: await readSchedules(deps, eventId) };
    },
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/events/{eventId}/schedules/{storeId}',
      summary: 'Set an event’s schedule at a store; its window is filled at once',
      access: 'admin',
      params: scheduleParams,
      body: eventScheduleSchema,
      ok: { status: 200, schema: savedScheduleSchema, description: 'The schedule and what filling did' },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId, storeId } = c.req.valid('param');
      const schedule = c.req.valid('json');
      return { schedule, filled: await setSchedule(deps, eventId, storeId, schedule) };
    },
  );
  declareRoute(
    app,
    {
      method: 'delete',
      path: '/events/{eventId}/schedules/{storeId}',
      summary: 'Stop an event’s schedule at a store (slots already made stay)',
      access: 'admin',
      params: scheduleParams,
      ok: { status: 200, schema: removedScheduleSchema, description: 'The schedule is gone' },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId, storeId } = c.req.valid('param');
      await setSchedule(deps, eventId, storeId, null);
      return { removed: true as const };
    },
  );
  return app;
}
