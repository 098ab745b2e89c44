import type { Context } from 'hono';
import { z } from 'zod';
import {
  adminAuditEntrySchema,
  adminAuditLiveQuerySchema,
  adminAuditPageSchema,
  adminAuditQuerySchema,
  adminSlotAnswerSchema,
  adminSlotListSchema,
  deviceIdSchema,
  importResultSchema,
  importUnsentSchema,
  leaseReturnedSchema,
  productLookupResultSchema,
  productLookupSchema,
  renamedTabletSchema,
  renameTabletSchema,
  settledLeasesSchema,
  settleLeasesSchema,
  slotBookingListSchema,
  slotCapacitySchema,
  slotClosedSchema,
  slotDayListSchema,
  slotDaysQuerySchema,
  slotListQuerySchema,
  tabletListSchema,
  tabletQuerySchema,
} from '../../../shared/api/admin-controls.ts';
import { slotIdSchema } from '../../../shared/api/bookings.ts';
import { skuSchema, slugSchema } from '../../../shared/api/common.ts';
import { readEvent, refusalOf } from '../../appointments/events.ts';
import { recordTabletRenamed } from '../../audit/record.ts';
import { readDevice, renameDevice } from '../../auth/devices.ts';
import type { AppEnv, Deps } from '../../deps.ts';
import { AppError } from '../../http/errors.ts';
import { markReplayed, mutationContext } from '../../http/mutation.ts';
import { apiRouter, declareRoute } from '../../http/route.ts';
import { serveEvents } from '../../live/sse.ts';
import type { Outcome } from '../../redis/lua-script.ts';
import { entryKey, followAudit, readAuditPage } from './audit.ts';
import { lookUpProducts } from './catalog-lookup.ts';
import { listAdminSlots, listSlotBookings, listSlotDays, setSlotCapacity, setSlotClosed } from './slots.ts';
import { importTabletFile, listTablets, returnTabletLease, settleTabletLeases } from './tablets.ts';

/** A script's refusal is the request's answer; a replay says so in a header. */
function settle<T>(c: Context<AppEnv>, outcome: Outcome<T>): T {
  if (outcome.replayed) markReplayed(c);
  if (!outcome.ok) throw refusalOf(outcome.code, outcome.details);
  return outcome.body;
}

const slotParams = z.object({ slotId: slotIdSchema });

/**
 * The admin's controls: tablets and their leases, slots, the audit log. Mount at /api/admin,
 * where app.ts requires the admin. Enrollment codes and revocation are server/auth/routes.ts'.
 */
export function adminControlRoutes(deps: Deps) {
  const app = apiRouter();

  // --- tablets ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/tablets',
      summary: 'Tablets (of one store, or all) with their leases',
      access: 'admin',
      query: tabletQuerySchema,
      ok: { status: 200, schema: tabletListSchema, description: 'Every tablet, revoked ones too' },
    },
    async (c) => ({ tablets: await listTablets(deps, c.req.valid('query').storeId) }),
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/tablets/{deviceId}/name',
      summary: 'Rename a tablet',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema }),
      body: renameTabletSchema,
      ok: { status: 200, schema: renamedTabletSchema, description: 'The tablet with its new name' },
      errors: ['DEVICE_NOT_FOUND'],
    },
    async (c) => {
      const { deviceId } = c.req.valid('param');
      const before = await readDevice(deps, deviceId);
      const device = await renameDevice(deps, deviceId, c.req.valid('json').name);
      if (before && before.name !== device.name)
        await recordTabletRenamed(deps, c.get('actor'), device, before.name);
      return { device };
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/tablets/{deviceId}/leases/{sku}/return',
      summary: 'Give one lease of a tablet back to its store’s pool',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema, sku: skuSchema }),
      idempotent: true,
      ok: { status: 200, schema: leaseReturnedSchema, description: 'Units returned and the sku’s numbers' },
      errors: ['DEVICE_NOT_FOUND', 'PRODUCT_NOT_FOUND'],
    },
    async (c) => {
      const { deviceId, sku } = c.req.valid('param');
      const ctx = mutationContext(c, 'lease.return', `${deviceId}/${sku}`, {});
      return settle(c, await returnTabletLease(deps, deviceId, sku, ctx));
    },
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/tablets/{deviceId}/settle',
      summary:
        'Settle a revoked tablet’s unreported units: write them off (the tablet is lost) or return them to the shelf',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema }),
      body: settleLeasesSchema,
      idempotent: true,
      ok: {
        status: 200,
        schema: settledLeasesSchema,
        description: 'Units settled per product, with its numbers',
      },
      errors: ['DEVICE_NOT_FOUND', 'DEVICE_NOT_REVOKED'],
    },
    async (c) => {
      const { deviceId } = c.req.valid('param');
      const { decision } = c.req.valid('json');
      const ctx = mutationContext(c, 'lease.settle', deviceId, { decision });
      return settle(c, await settleTabletLeases(deps, deviceId, decision, ctx));
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/tablets/{deviceId}/import',
      summary:
        'Import a revoked tablet’s saved file: its offline sales and write-offs from before the revocation, each once',
      access: 'admin',
      params: z.object({ deviceId: deviceIdSchema }),
      body: importUnsentSchema,
      ok: { status: 200, schema: importResultSchema, description: 'What became of each action in the file' },
      errors: ['DEVICE_NOT_FOUND', 'DEVICE_NOT_REVOKED'],
    },
    async (c) =>
      await importTabletFile(deps, c.req.valid('param').deviceId, c.req.valid('json'), c.get('actor')),
  );

  // --- products: what an import would change ---
  declareRoute(
    app,
    {
      method: 'post',
      path: '/stores/{storeId}/products/lookup',
      summary: 'Which of these skus a store has, with their shelf counts (reads only)',
      access: 'admin',
      params: z.object({ storeId: slugSchema }),
      body: productLookupSchema,
      ok: { status: 200, schema: productLookupResultSchema, description: 'The skus the store has' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => ({
      products: await lookUpProducts(deps, c.req.valid('param').storeId, c.req.valid('json').skus),
    }),
  );

  // --- slots ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/slots',
      summary: 'An event’s slots with seats booked, on one store-local day or the coming week',
      access: 'admin',
      params: z.object({ eventId: slugSchema }),
      query: slotListQuerySchema,
      ok: { status: 200, schema: adminSlotListSchema, description: 'Slots by start time' },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
      return { slots: await listAdminSlots(deps, eventId, c.req.valid('query')) };
    },
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/slot-days',
      summary: 'The store-local days on which an event has slots, with how many',
      access: 'admin',
      params: z.object({ eventId: slugSchema }),
      query: slotDaysQuerySchema,
      ok: { status: 200, schema: slotDayListSchema, description: 'Days, earliest first' },
      errors: ['EVENT_NOT_FOUND', 'STORE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
      return { days: await listSlotDays(deps, eventId, c.req.valid('query').storeId) };
    },
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/slots/{slotId}/capacity',
      summary: 'Change a slot’s seats (never below what is booked)',
      access: 'admin',
      params: slotParams,
      body: slotCapacitySchema,
      idempotent: true,
      ok: { status: 200, schema: adminSlotAnswerSchema, description: 'The slot' },
      errors: ['SLOT_NOT_FOUND', 'CAPACITY_BELOW_BOOKED'],
    },
    async (c) => {
      const { slotId } = c.req.valid('param');
      const { capacity } = c.req.valid('json');
      const ctx = mutationContext(c, 'slot.capacity', slotId, { capacity });
      return { slot: settle(c, await setSlotCapacity(deps, slotId, capacity, ctx)) };
    },
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/slots/{slotId}/closed',
      summary: 'Close a slot to new bookings (bookings made stay), or reopen it',
      access: 'admin',
      params: slotParams,
      body: slotClosedSchema,
      idempotent: true,
      ok: { status: 200, schema: adminSlotAnswerSchema, description: 'The slot' },
      errors: ['SLOT_NOT_FOUND'],
    },
    async (c) => {
      const { slotId } = c.req.valid('param');
      const { closed } = c.req.valid('json');
      const ctx = mutationContext(c, 'slot.closed', slotId, { closed });
      return { slot: settle(c, await setSlotClosed(deps, slotId, closed, ctx)) };
    },
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/slots/{slotId}/bookings',
      summary: 'A slot’s bookings with the customers’ names and contacts',
      access: 'admin',
      params: slotParams,
      ok: { status: 200, schema: slotBookingListSchema, description: 'Active bookings, by name' },
      errors: ['SLOT_NOT_FOUND'],
    },
    async (c) => ({ bookings: await listSlotBookings(deps, c.req.valid('param').slotId) }),
  );

  // --- audit log ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/audit',
      summary: 'The stores’ and events’ audit log, filtered, newest first, a page at a time',
      access: 'admin',
      query: adminAuditQuerySchema,
      ok: { status: 200, schema: adminAuditPageSchema, description: 'One page and the cursor to the next' },
    },
    async (c) => await readAuditPage(deps, c.req.valid('query')),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/audit/live',
      summary: 'New audit entries as they are written, with the same filters',
      access: 'admin',
      query: adminAuditLiveQuerySchema,
      ok: {
        status: 200,
        stream: adminAuditEntrySchema,
        description: 'A `ready` event once followed, then one `entry` event per new entry',
      },
    },
    (c) => {
      const query = c.req.valid('query');
      return serveEvents(c, async (send) => {
        const follow = await followAudit(deps, query, (entry) => send('entry', entry, entryKey(entry)));
        send('ready', {});
        return () => follow.stop();
      });
    },
  );
  return app;
}
