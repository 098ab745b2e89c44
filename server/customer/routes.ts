import { z } from 'zod';
import { skuSchema, slugSchema } from '../../shared/api/common.ts';
import {
  bookingLinkRequestAnswerSchema,
  bookingLinkRequestSchema,
  productAvailabilitySchema,
  productSearchQuerySchema,
  productSearchSchema,
} from '../../shared/api/customer.ts';
import type { Deps } from '../deps.ts';
import { rateLimitPublicWrites } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readAvailability, searchProducts } from './availability.ts';
import { requestBookingLink } from './link-requests.ts';

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

  declareRoute(
    app,
    {
      method: 'post',
      path: '/events/{eventId}/booking-link-requests',
      summary: 'Ask for the link of one’s booking again, sent to the email or phone given',
      access: 'public',
      rateLimit: rateLimitPublicWrites(deps),
      params: z.object({ eventId: slugSchema }),
      body: bookingLinkRequestSchema,
      ok: {
        status: 200,
        schema: bookingLinkRequestAnswerSchema,
        description: 'Recorded; the same answer whether or not that contact has a booking',
      },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => requestBookingLink(deps, c.req.valid('param').eventId, c.req.valid('json').customer),
  );

  return app;
}
