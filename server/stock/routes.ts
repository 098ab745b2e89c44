import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import {
  createdHoldSchema,
  createHoldSchema,
  customerHoldSchema,
  holdViewSchema,
} from '../../shared/api/holds.ts';
import {
  auditListSchema,
  auditQuerySchema,
  productImportResultSchema,
  productImportSchema,
  productListSchema,
  productQuerySchema,
  publicProductListSchema,
  publicProductSchema,
} from '../../shared/api/stock.ts';
import { savedStoreSchema, storeListSchema, storeSchema } from '../../shared/api/stores.ts';
import { bearerToken } from '../auth/middleware.ts';
import { createHoldWithinCap } from '../customer/held-units.ts';
import { assertWithinHoldLimit } from '../customer/hold-limits.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { mutationContext, replyWith } from '../http/mutation.ts';
import { rateLimitPerIdentity, rateLimitPublicWrites } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { listStoresWithHours } from '../stores/store-hours.ts';
import { upsertStore } from '../stores/stores.ts';
import { importProducts, listProducts } from './catalog.ts';
import { readHoldForCustomer, stepHold, storeOfHold } from './holds.ts';
import { storeKeys } from './keys.ts';
import { readAudit } from './store-audit.ts';
import { holdView } from './views.ts';

/** A customer's manage token; without it a hold is "not found" (existence is not revealed). */
function customerToken(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token) throw new AppError('HOLD_NOT_FOUND');
  return token;
}

const storeParams = z.object({ storeId: slugSchema });
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
