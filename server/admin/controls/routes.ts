import { Hono } from 'hono';
import { z } from 'zod';
import {
  adminAuditQuerySchema,
  renameTabletSchema,
  slotCapacitySchema,
  slotClosedSchema,
  slotListQuerySchema,
  tabletQuerySchema,
} from '../../../shared/api/admin-controls.ts';
import { slotIdSchema } from '../../../shared/api/bookings.ts';
import { skuSchema, slugSchema } from '../../../shared/api/common.ts';
import { readEvent } from '../../appointments/events.ts';
import { renameDevice } from '../../auth/devices.ts';
import type { AppEnv, Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { mutationContext, respondOutcome } from '../../http/mutation.ts';
import { parseBody, parseQuery, parseWith } from '../../http/validate.ts';
import { auditCsvStream, readAuditPage } from './audit.ts';
import { listAdminSlots, listSlotBookings, setSlotCapacity, setSlotClosed } from './slots.ts';
import { listTablets, returnTabletLease } from './tablets.ts';

const deviceIdSchema = z.string().regex(/^[0-9A-Z]{26}$/, 'a tablet id');

/**
 * The admin's controls: tablets, slots and the audit log. Mount at /api/admin, where app.ts
 * requires the admin. Enrollment codes and revocation are the auth routes' (server/auth/routes.ts).
 */
export function adminControlRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();

  // --- tablets ---
  app.get('/tablets', async (c) => {
    const { storeId } = parseQuery(c, tabletQuerySchema);
    return c.json({ tablets: await listTablets(deps, storeId) });
  });
  app.put('/tablets/:deviceId/name', async (c) => {
    const deviceId = parseWith(deviceIdSchema, c.req.param('deviceId'));
    const { name } = await parseBody(c, renameTabletSchema);
    return c.json({ device: await renameDevice(deps, deviceId, name) });
  });
  app.post('/tablets/:deviceId/leases/:sku/return', async (c) => {
    const deviceId = parseWith(deviceIdSchema, c.req.param('deviceId'));
    const sku = parseWith(skuSchema, c.req.param('sku'));
    const ctx = mutationContext(c, 'lease.return', `${deviceId}/${sku}`, {});
    return respondOutcome(c, await returnTabletLease(deps, deviceId, sku, ctx), 200, (r) => r);
  });

  // --- slots ---
  app.get('/events/:eventId/slots', async (c) => {
    const eventId = parseWith(slugSchema, c.req.param('eventId'));
    if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
    return c.json({ slots: await listAdminSlots(deps, eventId, parseQuery(c, slotListQuerySchema)) });
  });
  app.put('/slots/:slotId/capacity', async (c) => {
    const slotId = parseWith(slotIdSchema, c.req.param('slotId'));
    const { capacity } = await parseBody(c, slotCapacitySchema);
    const ctx = mutationContext(c, 'slot.capacity', slotId, { capacity });
    return respondOutcome(c, await setSlotCapacity(deps, slotId, capacity, ctx), 200, (s) => ({ slot: s }));
  });
  app.put('/slots/:slotId/closed', async (c) => {
    const slotId = parseWith(slotIdSchema, c.req.param('slotId'));
    const { closed } = await parseBody(c, slotClosedSchema);
    const ctx = mutationContext(c, 'slot.closed', slotId, { closed });
    return respondOutcome(c, await setSlotClosed(deps, slotId, closed, ctx), 200, (s) => ({ slot: s }));
  });
  app.get('/slots/:slotId/bookings', async (c) => {
    const slotId = parseWith(slotIdSchema, c.req.param('slotId'));
    return c.json({ bookings: await listSlotBookings(deps, slotId) });
  });

  // --- audit log ---
  app.get('/audit', async (c) => c.json(await readAuditPage(deps, parseQuery(c, adminAuditQuerySchema))));
  app.get('/audit.csv', (c) => {
    const query = parseQuery(c, adminAuditQuerySchema);
    const stamp = new Date(deps.clock.now()).toISOString().slice(0, 19).replaceAll(':', '');
    return c.body(auditCsvStream(deps, query), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="holdfast-audit-${stamp}.csv"`,
    });
  });
  return app;
}

/** The same routes for the OpenAPI document (server/http/openapi.ts) until routes are declared once. */
export const ADMIN_CONTROL_OPERATIONS = [
  {
    method: 'get',
    path: '/api/admin/tablets',
    summary: 'Tablets with their leases',
    query: tabletQuerySchema,
  },
  {
    method: 'put',
    path: '/api/admin/tablets/{deviceId}/name',
    summary: 'Rename a tablet',
    body: renameTabletSchema,
  },
  {
    method: 'post',
    path: '/api/admin/tablets/{deviceId}/leases/{sku}/return',
    summary: 'Return one lease of a tablet to the pool',
    idempotent: true,
  },
  {
    method: 'get',
    path: '/api/admin/events/{eventId}/slots',
    summary: 'An event’s slots with seats booked',
    query: slotListQuerySchema,
  },
  {
    method: 'put',
    path: '/api/admin/slots/{slotId}/capacity',
    summary: 'Change a slot’s seats (never below what is booked)',
    body: slotCapacitySchema,
    idempotent: true,
  },
  {
    method: 'put',
    path: '/api/admin/slots/{slotId}/closed',
    summary: 'Close a slot to new bookings, or reopen it',
    body: slotClosedSchema,
    idempotent: true,
  },
  {
    method: 'get',
    path: '/api/admin/slots/{slotId}/bookings',
    summary: 'A slot’s bookings with customer names',
  },
  {
    method: 'get',
    path: '/api/admin/audit',
    summary: 'The stores’ and events’ audit log, filtered, newest first',
    query: adminAuditQuerySchema,
  },
  {
    method: 'get',
    path: '/api/admin/audit.csv',
    summary: 'The filtered audit log as CSV',
    query: adminAuditQuerySchema,
  },
] as const;
