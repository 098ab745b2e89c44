import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import { storeHoursAnswerSchema } from '../../shared/api/hours.ts';
import { storeHoursSchema } from '../../shared/opening-hours.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readStore } from '../stock/stores.ts';
import { replaceStoreHours } from './closures.ts';
import { readStoreHours, todayLabelOf } from './store-hours.ts';

const storeParams = z.object({ storeId: slugSchema });

/** Opening hours: customers read them, admins replace them (issue 21 §1). Mounted under /api. */
export function hoursRoutes(deps: Deps) {
  const app = apiRouter();

  async function answer(storeId: string) {
    const store = await readStore(deps, storeId);
    if (!store) throw new AppError('STORE_NOT_FOUND', { storeId });
    const hours = await readStoreHours(deps, storeId);
    const today = todayLabelOf(deps, hours, store.timeZone);
    return today === undefined ? { hours: hours ?? null } : { hours: hours ?? null, today };
  }

  declareRoute(
    app,
    {
      method: 'get',
      path: '/stores/{storeId}/hours',
      summary: 'A store’s opening hours, exceptions and today’s label',
      access: 'public',
      params: storeParams,
      ok: { status: 200, schema: storeHoursAnswerSchema, description: 'The hours, null until set' },
      errors: ['STORE_NOT_FOUND'],
    },
    (c) => answer(c.req.valid('param').storeId),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/admin/stores/{storeId}/hours',
      summary: 'A store’s opening hours, for the console',
      access: 'admin',
      params: storeParams,
      ok: { status: 200, schema: storeHoursAnswerSchema, description: 'The hours, null until set' },
      errors: ['STORE_NOT_FOUND'],
    },
    (c) => answer(c.req.valid('param').storeId),
  );

  declareRoute(
    app,
    {
      method: 'put',
      path: '/admin/stores/{storeId}/hours',
      summary: 'Replace a store’s week and exceptions (refused over booked appointments)',
      access: 'admin',
      params: storeParams,
      body: storeHoursSchema,
      ok: { status: 200, schema: storeHoursAnswerSchema, description: 'The hours saved' },
      errors: ['STORE_NOT_FOUND', 'CLOSURE_HAS_BOOKINGS'],
    },
    async (c) => replaceStoreHours(deps, c.req.valid('param').storeId, c.req.valid('json')),
  );
  return app;
}
