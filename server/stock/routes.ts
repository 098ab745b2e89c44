import { z } from 'zod';
import { skuSchema, slugSchema } from '../../shared/api/common.ts';
import {
  createdHoldSchema,
  createHoldSchema,
  customerHoldSchema,
  holdViewSchema,
  staffHoldListSchema,
  staffHoldSchema,
} from '../../shared/api/holds.ts';
import {
  auditListSchema,
  auditQuerySchema,
  countStockSchema,
  leaseListSchema,
  leaseReportSchema,
  leaseTakenSchema,
  productImportResultSchema,
  productImportSchema,
  productListSchema,
  productQuerySchema,
  productViewSchema,
  publicProductListSchema,
  publicProductSchema,
  receiveStockSchema,
  removeStockSchema,
  reportLeaseSchema,
  stockChangeResultSchema,
  takeLeaseSchema,
} from '../../shared/api/stock.ts';
import {
  listedStoreSchema,
  savedStoreSchema,
  storeListSchema,
  storeSchema,
} from '../../shared/api/stores.ts';
import { STAFF_HOLD_STEP_PATHS, type StaffHoldStep } from '../../shared/hold-steps.ts';
import { parseAuditEntry, type RawStreamEntry } from '../audit/streams.ts';
import { bearerToken, staffActor } from '../auth/middleware.ts';
import { createHoldWithinCap } from '../customer/held-units.ts';
import { assertWithinHoldLimit } from '../customer/hold-limits.ts';
import type { Deps } from '../deps.ts';
import { listStoresWithHours, readStoreHours } from '../hours/store-hours.ts';
import { AppError } from '../http/errors.ts';
import { mutationContext, replyWith } from '../http/mutation.ts';
import { rateLimitPerIdentity, rateLimitPublicWrites } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { importProducts, listProducts, readStoreStock } from './catalog.ts';
import { listOpenHolds, readHoldForCustomer, stepHold, storeOfHold } from './holds.ts';
import { storeKeys } from './keys.ts';
import { listDeviceLeases, reportLease, takeLease } from './leases.ts';
import { changeStock } from './stock.ts';
import { readStore, upsertStore } from './stores.ts';
import { holdView, holdViewForStaff } from './views.ts';

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

/** A customer's manage token; without it a hold is "not found" (existence is not revealed). */
function customerToken(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token) throw new AppError('HOLD_NOT_FOUND');
  return token;
}

const storeParams = z.object({ storeId: slugSchema });
/** Staff routes: the auth middleware already checked that storeId is the tablet's own store. */
const staffParams = z.object({ storeId: z.string() });
const holdParams = z.object({ holdId: z.string() });

/** Stores, products, pickup holds, stock and leases: public, staff and admin routes (auth is applied in app.ts). */
export function storeRoutes(deps: Deps) {
  const app = apiRouter();
  const publicWrites = rateLimitPublicWrites(deps);
  const perIdentity = rateLimitPerIdentity(deps);

  // --- public: customers ---
  declareRoute(
    app,
    {
      method: 'get',
      path: '/stores',
      summary: 'The stores',
      access: 'public',
      ok: { status: 200, schema: storeListSchema, description: 'Every store, with its hours once set' },
    },
    async () => ({ stores: await listStoresWithHours(deps) }),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/stores/{storeId}/products',
      summary: 'A store’s products with the units a customer may reserve',
      access: 'public',
      params: storeParams,
      query: productQuerySchema,
      ok: { status: 200, schema: publicProductListSchema, description: 'Matching products, sorted by name' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { products, total } = await listProducts(
        deps,
        c.req.valid('param').storeId,
        c.req.valid('query'),
      );
      return { products: products.map((p) => publicProductSchema.parse(p)), total };
    },
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/holds',
      summary: 'Reserve units for pickup',
      access: 'public',
      rateLimit: publicWrites,
      body: createHoldSchema,
      idempotent: true,
      ok: { status: 201, schema: createdHoldSchema, description: 'The hold and its manage token' },
      errors: ['STORE_NOT_FOUND', 'PRODUCT_NOT_FOUND', 'SOLD_OUT', 'HOLD_LIMIT_REACHED'],
    },
    async (c) => {
      const request = c.req.valid('json');
      await perIdentity(c, request.customer);
      const { maxHeldAtOnce } = await assertWithinHoldLimit(deps, request.sku, request.quantity);
      const ctx = mutationContext(c, 'hold.create', request.storeId, request);
      return replyWith(c, await createHoldWithinCap(deps, request, ctx, maxHeldAtOnce));
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/holds/{holdId}',
      summary: 'A hold (send its manage token as the bearer credential)',
      access: 'customer',
      params: holdParams,
      ok: { status: 200, schema: customerHoldSchema, description: 'The hold and whether the store has it' },
      errors: ['HOLD_NOT_FOUND'],
    },
    async (c) =>
      await readHoldForCustomer(
        deps,
        c.req.valid('param').holdId,
        customerToken(c.req.header('authorization')),
      ),
  );

  for (const [method, path, step, summary] of [
    ['post', '/holds/{holdId}/confirm', 'confirm', 'Confirm a hold before it expires'],
    ['delete', '/holds/{holdId}', 'cancel', 'Cancel a hold (units released)'],
  ] as const) {
    declareRoute(
      app,
      {
        method,
        path,
        summary,
        access: 'customer',
        rateLimit: publicWrites,
        params: holdParams,
        idempotent: true,
        ok: { status: 200, schema: holdViewSchema, description: 'The hold after the step' },
        errors: ['HOLD_NOT_FOUND', 'HOLD_EXPIRED', 'INVALID_TRANSITION'],
      },
      async (c) => {
        const { holdId } = c.req.valid('param');
        const manageToken = customerToken(c.req.header('authorization'));
        const storeId = storeOfHold(holdId);
        const ctx = mutationContext(c, `hold.${step}`, holdId, {});
        const hold = replyWith(c, await stepHold(deps, storeId, holdId, step, { manageToken }, ctx));
        return holdView(storeId, hold);
      },
    );
  }

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

  // --- admin ---
  declareRoute(
    app,
    {
      method: 'put',
      path: '/admin/stores/{storeId}',
      summary: 'Create or update a store',
      access: 'admin',
      params: z.object({ storeId: z.string() }),
      body: storeSchema,
      ok: { status: 200, schema: savedStoreSchema, description: 'The store as saved' },
    },
    async (c) => {
      const store = c.req.valid('json');
      if (store.id !== c.req.valid('param').storeId) {
        throw new AppError('VALIDATION_FAILED', {
          issues: [{ path: 'id', message: 'must match the store in the path' }],
        });
      }
      await upsertStore(deps, store);
      return { store };
    },
  );
  declareRoute(
    app,
    {
      method: 'post',
      path: '/admin/stores/{storeId}/products',
      summary: 'Import products and shelf counts',
      access: 'admin',
      params: storeParams,
      body: productImportSchema,
      idempotent: true,
      ok: { status: 200, schema: productImportResultSchema, description: 'How many were new' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      const { products } = c.req.valid('json');
      const ctx = mutationContext(c, 'catalog.import', storeId, products);
      return await importProducts(deps, storeId, products, ctx);
    },
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/admin/stores/{storeId}/products',
      summary: 'A store’s products with every counter (on hand, held, leased, shortfall)',
      access: 'admin',
      params: storeParams,
      query: productQuerySchema,
      ok: { status: 200, schema: productListSchema, description: 'Matching products, sorted by name' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => await listProducts(deps, c.req.valid('param').storeId, c.req.valid('query')),
  );
  declareRoute(
    app,
    {
      method: 'get',
      path: '/admin/stores/{storeId}/audit',
      summary: 'A store’s audit log',
      access: 'admin',
      params: storeParams,
      query: auditQuerySchema,
      ok: { status: 200, schema: auditListSchema, description: 'The newest entries' },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      if (!(await deps.redis.exists(storeKeys(storeId).meta))) throw new AppError('STORE_NOT_FOUND');
      return { entries: await readAudit(deps, storeId, c.req.valid('query').limit) };
    },
  );
  return app;
}

/** The newest entries of a store's audit stream, newest first, as typed events (shared/audit-events.ts). */
export async function readAudit(deps: Deps, storeId: string, limit: number) {
  const stream = storeKeys(storeId).audit;
  const entries = (await deps.redis.xrevrange(stream, '+', '-', 'COUNT', limit)) as RawStreamEntry[];
  return entries.map((entry) => parseAuditEntry(stream, entry));
}
