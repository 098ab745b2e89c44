import { z } from 'zod';
import { skuSchema } from '../../shared/api/common.ts';
import {
  productAvailabilitySchema,
  productSearchQuerySchema,
  productSearchSchema,
} from '../../shared/api/customer.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readAvailability, searchProducts } from './availability.ts';

/** What the customer site reads beyond the store and event lists. Mount at /api. */
export function customerRoutes(deps: Deps) {
  const app = apiRouter();

  declareRoute(
    app,
    {
      method: 'get',
      path: '/products',
      summary: 'Search products across all stores',
      access: 'public',
      query: productSearchQuerySchema,
      ok: {
        status: 200,
        schema: productSearchSchema,
        description: 'Matches by name, with units over all stores',
      },
    },
    async (c) => searchProducts(deps, c.req.valid('query')),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/products/{sku}/availability',
      summary: 'One product’s available units at every store',
      access: 'public',
      params: z.object({ sku: skuSchema }),
      ok: { status: 200, schema: productAvailabilitySchema, description: 'Every store that carries it' },
      errors: ['PRODUCT_NOT_FOUND'],
    },
    async (c) => readAvailability(deps, c.req.valid('param').sku),
  );

  return app;
}
