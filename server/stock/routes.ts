import { type Context, Hono } from 'hono';
import { skuSchema, slugSchema } from '../../shared/api/common.ts';
import { createHoldSchema } from '../../shared/api/holds.ts';
import {
  auditQuerySchema,
  countStockSchema,
  productImportSchema,
  productQuerySchema,
  receiveStockSchema,
  removeStockSchema,
  reportLeaseSchema,
  takeLeaseSchema,
} from '../../shared/api/stock.ts';
import { bearerToken, staffActor } from '../auth/middleware.ts';
import type { AppEnv, Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { mutationContext, respondOutcome } from '../http/mutation.ts';
import { rateLimitPublicWrites } from '../http/rate-limit.ts';
import { parseBody, parseQuery, parseWith } from '../http/validate.ts';
import { storeMetaKey, storePrefix } from '../redis/keys.ts';
import { importProducts, listProducts, readStoreStock } from './catalog.ts';
import {
  createHold,
  type HoldStep,
  listOpenHolds,
  readHoldForCustomer,
  stepHold,
  storeOfHold,
} from './holds.ts';
import { listDeviceLeases, reportLease, takeLease } from './leases.ts';
import { changeStock } from './stock.ts';
import { listStores, readStore, storeSchema, upsertStore } from './stores.ts';
import { holdView, holdViewForStaff } from './views.ts';

/** URL step names (kebab-case) to the hold steps of hold-step.lua. */
const STAFF_HOLD_STEPS: Record<string, HoldStep> = {
  ack: 'ack',
  accept: 'accept',
  pick: 'pick',
  'hand-over': 'hand_over',
  cancel: 'cancel',
};

function customerToken(c: Context): string {
  const token = bearerToken(c.req.header('authorization'));
  // Without the manage token a hold is "not found": existence is not revealed.
  if (!token) throw new AppError('HOLD_NOT_FOUND');
  return token;
}

/** Stores, products, pickup holds, stock and leases: public, staff and admin routes (auth is applied in app.ts). */
export function storeRoutes(deps: Deps) {
  const app = new Hono<AppEnv>();
  const publicWrites = rateLimitPublicWrites(deps);

  // --- public: customers ---
  app.get('/stores', async (c) => c.json({ stores: await listStores(deps) }));

  app.get('/stores/:storeId/products', async (c) => {
    const storeId = parseWith(slugSchema, c.req.param('storeId'));
    return c.json(await listProducts(deps, storeId, parseQuery(c, productQuerySchema)));
  });

  app.use('/holds/*', publicWrites);
  app.post('/holds', async (c) => {
    const request = await parseBody(c, createHoldSchema);
    const ctx = mutationContext(c, 'hold.create', request.storeId, request);
    return respondOutcome(c, await createHold(deps, request, ctx), 201, (hold) => hold);
  });

  app.get('/holds/:holdId', async (c) =>
    c.json(await readHoldForCustomer(deps, c.req.param('holdId'), customerToken(c))),
  );

  const customerStep = (step: HoldStep) => async (c: Context<AppEnv>) => {
    const holdId = c.req.param('holdId') ?? '';
    const manageToken = customerToken(c);
    const storeId = storeOfHold(holdId);
    const ctx = mutationContext(c, `hold.${step}`, holdId, {});
    const outcome = await stepHold(deps, storeId, holdId, step, { manageToken }, ctx);
    return respondOutcome(c, outcome, 200, (h) => holdView(storeId, h));
  };
  app.post('/holds/:holdId/confirm', customerStep('confirm'));
  app.delete('/holds/:holdId', customerStep('cancel'));

  // --- staff: an enrolled tablet of this store ---
  const staff = new Hono<AppEnv>();

  staff.get('/:storeId/stock', async (c) => {
    const storeId = staffActor(c).storeId;
    const store = await readStore(deps, storeId);
    const products = [...(await readStoreStock(deps, storeId)).values()];
    const shortfalls = await deps.redis.hgetall(`${storePrefix(storeId)}shortfalls`);
    return c.json({ store, products, shortfalls, asOf: Date.now() });
  });

  const stockChange = (kind: 'receive' | 'count' | 'sale' | 'write_off') => async (c: Context<AppEnv>) => {
    const { storeId } = staffActor(c);
    const sku = parseWith(skuSchema, c.req.param('sku'));
    const change =
      kind === 'count'
        ? { kind, ...(await parseBody(c, countStockSchema)) }
        : { kind, ...(await parseBody(c, kind === 'receive' ? receiveStockSchema : removeStockSchema)) };
    const ctx = mutationContext(c, `stock.${kind}`, `${storeId}/${sku}`, change);
    return respondOutcome(c, await changeStock(deps, storeId, sku, change, ctx), 200, (r) => r);
  };
  staff.post('/:storeId/stock/:sku/receive', stockChange('receive'));
  staff.post('/:storeId/stock/:sku/count', stockChange('count'));
  staff.post('/:storeId/stock/:sku/sell', stockChange('sale'));
  staff.post('/:storeId/stock/:sku/write-off', stockChange('write_off'));

  staff.get('/:storeId/holds', async (c) =>
    c.json({ holds: await listOpenHolds(deps, staffActor(c).storeId) }),
  );
  staff.post('/:storeId/holds/:holdId/:step', async (c) => {
    const { storeId, deviceId } = staffActor(c);
    const step = STAFF_HOLD_STEPS[c.req.param('step')];
    if (!step) throw new AppError('ROUTE_NOT_FOUND', { path: c.req.path });
    const holdId = c.req.param('holdId');
    const ctx = mutationContext(c, `hold.${step}`, holdId, {});
    const outcome = await stepHold(deps, storeId, holdId, step, { deviceId }, ctx);
    return respondOutcome(c, outcome, 200, (h) => holdViewForStaff(storeId, h));
  });

  staff.get('/:storeId/leases', async (c) => {
    const { storeId, deviceId } = staffActor(c);
    return c.json({ leases: await listDeviceLeases(deps, storeId, deviceId) });
  });
  staff.post('/:storeId/leases', async (c) => {
    const { storeId, deviceId } = staffActor(c);
    const request = await parseBody(c, takeLeaseSchema);
    const ctx = mutationContext(c, 'lease.take', storeId, request);
    return respondOutcome(
      c,
      await takeLease(deps, storeId, deviceId, request.sku, request.quantity, ctx),
      200,
      (r) => r,
    );
  });
  staff.post('/:storeId/leases/:sku/report', async (c) => {
    const { storeId, deviceId } = staffActor(c);
    const sku = parseWith(skuSchema, c.req.param('sku'));
    const report = await parseBody(c, reportLeaseSchema);
    const ctx = mutationContext(c, 'lease.report', `${storeId}/${sku}`, report);
    return respondOutcome(c, await reportLease(deps, storeId, deviceId, sku, report, ctx), 200, (r) => r);
  });

  staff.get('/:storeId/audit', async (c) => {
    const { limit } = parseQuery(c, auditQuerySchema);
    return c.json({ entries: await readAudit(deps, staffActor(c).storeId, limit) });
  });
  app.route('/staff', staff);

  // --- admin ---
  const admin = new Hono<AppEnv>();
  admin.put('/stores/:storeId', async (c) => {
    const store = await parseBody(c, storeSchema);
    if (store.id !== c.req.param('storeId')) {
      throw new AppError('VALIDATION_FAILED', {
        issues: [{ path: 'id', message: 'must match the store in the path' }],
      });
    }
    await upsertStore(deps, store);
    return c.json({ store });
  });
  admin.post('/stores/:storeId/products', async (c) => {
    const storeId = parseWith(slugSchema, c.req.param('storeId'));
    const { products } = await parseBody(c, productImportSchema);
    const ctx = mutationContext(c, 'catalog.import', storeId, products);
    return c.json(await importProducts(deps, storeId, products, ctx));
  });
  admin.get('/stores/:storeId/audit', async (c) => {
    const storeId = parseWith(slugSchema, c.req.param('storeId'));
    if (!(await deps.redis.exists(storeMetaKey(storeId)))) throw new AppError('STORE_NOT_FOUND');
    const { limit } = parseQuery(c, auditQuerySchema);
    return c.json({ entries: await readAudit(deps, storeId, limit) });
  });
  app.route('/admin', admin);
  return app;
}

/** The newest entries of a store's audit stream, newest first. */
export async function readAudit(deps: Deps, storeId: string, limit: number) {
  const entries = await deps.redis.xrevrange(`${storePrefix(storeId)}audit`, '+', '-', 'COUNT', limit);
  return entries.map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i] ?? ''] = fields[i + 1] ?? '';
    return {
      id,
      type: f.type,
      at: Number(f.at),
      actor: JSON.parse(f.actor ?? 'null'),
      data: JSON.parse(f.data ?? '{}'),
    };
  });
}
