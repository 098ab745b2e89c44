import { z } from 'zod';
import { skuSchema } from '../../shared/api/common.ts';
import { holdLimitSchema, holdLimitViewSchema } from '../../shared/api/hold-limits.ts';
import { recordHoldLimitChanged } from '../audit/record.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readHoldLimit, setHoldLimit } from './hold-limits.ts';

const skuParams = z.object({ sku: skuSchema });

/** The per-customer cap per hold: anyone may read it, an admin sets it. Mount at /api. */
export function holdLimitRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'get',
      path: '/products/{sku}/hold-limit',
      summary: 'How many units of a product one customer may reserve in one hold',
      access: 'public',
      params: skuParams,
      ok: { status: 200, schema: holdLimitViewSchema, description: 'The cap, or the default' },
    },
    async (c) => readHoldLimit(deps, c.req.valid('param').sku),
  );
  declareRoute(
    app,
    {
      method: 'put',
      path: '/admin/products/{sku}/hold-limit',
      summary:
        'Set how many units of a product one customer may reserve in one hold, and hold at once across stores',
      access: 'admin',
      params: skuParams,
      body: holdLimitSchema,
      ok: { status: 200, schema: holdLimitViewSchema, description: 'The cap as saved' },
    },
    async (c) => {
      const { maxPerHold, maxHeldAtOnce } = c.req.valid('json');
      const { sku } = c.req.valid('param');
      const before = await readHoldLimit(deps, sku);
      const limit = await setHoldLimit(deps, sku, maxPerHold, maxHeldAtOnce);
      await recordHoldLimitChanged(deps, c.get('actor'), limit, before);
      return limit;
    },
  );
  return app;
}
