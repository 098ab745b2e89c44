import { z } from 'zod';
import { skuSchema } from '../../shared/api/common.ts';
import { staffHoldListSchema, staffHoldSchema } from '../../shared/api/holds.ts';
import {
  auditListSchema,
  auditQuerySchema,
  countStockSchema,
  leaseListSchema,
  leaseReportSchema,
  leaseTakenSchema,
  productViewSchema,
  receiveStockSchema,
  removeStockSchema,
  reportLeaseSchema,
  stockChangeResultSchema,
  takeLeaseSchema,
} from '../../shared/api/stock.ts';
import { listedStoreSchema } from '../../shared/api/stores.ts';
import { STAFF_HOLD_STEP_PATHS, type StaffHoldStep } from '../../shared/hold-steps.ts';
import { staffActor } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { mutationContext, replyWith } from '../http/mutation.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readStoreHours } from '../stores/store-hours.ts';
import { readStore } from '../stores/stores.ts';
import { readStoreStock } from './catalog.ts';
import { listOpenHolds, stepHold } from './holds.ts';
import { storeKeys } from './keys.ts';
import { listDeviceLeases, reportLease, takeLease } from './leases.ts';
import { changeStock } from './stock.ts';
import { readAudit } from './store-audit.ts';
import { holdViewForStaff } from './views.ts';

/** The staff hold steps (URL segments in shared/hold-steps.ts), with what each means. */
const STAFF_HOLD_STEPS = [
  ['ack', 'The store has seen the hold (the customer is told)'],
  ['accept', 'The store will prepare it'],
  ['pick', 'Set aside for the customer'],
  ['hand_over', 'The customer collected it'],
  ['cancel', 'The store cancels it (units released)'],
] as const satisfies readonly (readonly [StaffHoldStep, string])[];

/** The four staff stock changes: URL step, the change's kind, its body, what it does. */
const STOCK_CHANGES = [
  ['receive', 'receive', receiveStockSchema, 'Receive stock'],
  ['count', 'count', countStockSchema, 'Count: set to n given the value last seen'],
  ['sell', 'sale', removeStockSchema, 'Sell from what is available'],
  ['write-off', 'write_off', removeStockSchema, 'Write off from what is available'],
] as const;

/** Staff routes: the auth middleware already checked that storeId is the tablet's own store. */
const staffParams = z.object({ storeId: z.string() });

/** The tablet's own routes: its store's stock, pickup holds, leases and audit (auth is applied in app.ts). */
export function staffStockRoutes(deps: Deps) {
  const app = apiRouter();
  // --- staff: an enrolled tablet of this store ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/staff/{storeId}/stock',
      summary: 'The store’s numbers, shortfalls included',
      access: 'staff',
      params: staffParams,
      ok: {
        status: 200,
        schema: z.object({
          store: listedStoreSchema.optional(),
          products: z.array(productViewSchema),
          shortfalls: z.record(z.string(), z.string()).describe('Units promised beyond the shelf, by sku'),
          asOf: z.number(),
        }),
        description: 'Every product’s numbers at this store',
      },
    },
    async (c) => {
      const storeId = staffActor(c).storeId;
      const store = await readStore(deps, storeId);
      const hours = await readStoreHours(deps, storeId);
      const products = [...(await readStoreStock(deps, storeId)).values()];
      const shortfalls = await deps.redis.hgetall(storeKeys(storeId).shortfalls);
      const listed = store && hours ? { ...store, hours } : store;
      return { ...(listed ? { store: listed } : {}), products, shortfalls, asOf: deps.clock.now() };
    },
  );

  for (const [step, kind, body, summary] of STOCK_CHANGES) {
    declareRoute(
      app,
      {
        method: 'post',
        path: `/staff/{storeId}/stock/{sku}/${step}`,
        summary,
        access: 'staff',
        params: z.object({ storeId: z.string(), sku: skuSchema }),
        body,
        idempotent: true,
        ok: { status: 200, schema: stockChangeResultSchema, description: 'The product’s numbers after it' },
        errors:
          kind === 'receive' || kind === 'count' ? ['PRODUCT_NOT_FOUND'] : ['PRODUCT_NOT_FOUND', 'SOLD_OUT'],
      },
      async (c) => {
        const { storeId } = staffActor(c);
        const { sku } = c.req.valid('param');
        const change = { kind, ...c.req.valid('json') } as Parameters<typeof changeStock>[3];
        const ctx = mutationContext(c, `stock.${kind}`, `${storeId}/${sku}`, change);
        return replyWith(c, await changeStock(deps, storeId, sku, change, ctx));
      },
    );
  }

  declareRoute(
    app,
    {
      method: 'get',
      path: '/staff/{storeId}/holds',
      summary: 'The pickup queue',
      access: 'staff',
      params: staffParams,
      ok: { status: 200, schema: staffHoldListSchema, description: 'Open holds, oldest first' },
    },
    async (c) => ({ holds: await listOpenHolds(deps, staffActor(c).storeId) }),
  );

  for (const [step, summary] of STAFF_HOLD_STEPS) {
    declareRoute(
      app,
      {
        method: 'post',
        path: `/staff/{storeId}/holds/{holdId}/${STAFF_HOLD_STEP_PATHS[step]}`,
        summary,
        access: 'staff',
        params: z.object({ storeId: z.string(), holdId: z.string() }),
        idempotent: true,
        ok: { status: 200, schema: staffHoldSchema, description: 'The hold after the step' },
        errors: ['HOLD_NOT_FOUND', 'HOLD_EXPIRED', 'INVALID_TRANSITION'],
      },
      async (c) => {
        const { storeId, deviceId } = staffActor(c);
        const { holdId } = c.req.valid('param');
        const ctx = mutationContext(c, `hold.${step}`, holdId, {});
        const hold = replyWith(c, await stepHold(deps, storeId, holdId, step, { deviceId }, ctx));
        return holdViewForStaff(storeId, hold);
      },
    );
  }

  declareRoute(
    app,
    {
      method: 'get',
      path: '/staff/{storeId}/leases',
      summary: 'This tablet’s leases',
      access: 'staff',
      params: staffParams,
      ok: { status: 200, schema: leaseListSchema, description: 'Units this tablet may sell offline' },
    },
    async (c) => {
      const { storeId, deviceId } = staffActor(c);
      return { leases: await listDeviceLeases(deps, storeId, deviceId) };
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/staff/{storeId}/leases',
      summary: 'Take units for offline selling',
      access: 'staff',
      params: staffParams,
      body: takeLeaseSchema,
      idempotent: true,
      ok: { status: 200, schema: leaseTakenSchema, description: 'The lease and the product’s numbers' },
      errors: ['PRODUCT_NOT_FOUND', 'SOLD_OUT'],
    },
    async (c) => {
      const { storeId, deviceId } = staffActor(c);
      const request = c.req.valid('json');
      const ctx = mutationContext(c, 'lease.take', storeId, request);
      return replyWith(c, await takeLease(deps, storeId, deviceId, request.sku, request.quantity, ctx));
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/staff/{storeId}/leases/{sku}/report',
      summary:
        'Report offline sales and return the rest (a revoked tablet’s credential still opens this route, for what it did before it was revoked)',
      access: 'staff',
      params: z.object({ storeId: z.string(), sku: skuSchema }),
      body: reportLeaseSchema,
      idempotent: true,
      ok: { status: 200, schema: leaseReportSchema, description: 'What was applied and what is left' },
      errors: ['PRODUCT_NOT_FOUND', 'ACTION_AFTER_REVOCATION', 'LEASE_EXCEEDED'],
    },
    async (c) => {
      const { storeId, deviceId } = staffActor(c);
      const { sku } = c.req.valid('param');
      const report = c.req.valid('json');
      const ctx = mutationContext(c, 'lease.report', `${storeId}/${sku}`, report);
      const revokedAt = c.get('revokedAt');
      return replyWith(c, await reportLease(deps, storeId, deviceId, sku, report, ctx, revokedAt));
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/staff/{storeId}/audit',
      summary: 'The store’s audit log, newest first',
      access: 'staff',
      params: staffParams,
      query: auditQuerySchema,
      ok: { status: 200, schema: auditListSchema, description: 'The newest entries' },
    },
    async (c) => ({ entries: await readAudit(deps, staffActor(c).storeId, c.req.valid('query').limit) }),
  );
  return app;
}
