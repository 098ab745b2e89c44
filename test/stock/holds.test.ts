import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../helpers/clock.ts';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
const HOLD_TTL_MS = 600_000;
/** The server's one clock, moved by the tests: expiry is tested without waiting. */
const clock = manualClock();

beforeAll(async () => {
  redis = await startTestRedis();
  // The sweeper waits an hour: expiry must happen on touch.
  server = await startTestServer(redis, { holdTtlMs: HOLD_TTL_MS, sweepIntervalMs: 3_600_000 }, { clock });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 5 },
    { sku: 'CASE', onHand: 1 },
  ]);
});

const hold = (body: object, key = newKey('hold')) =>
  call(server.url, 'POST', '/api/holds', { body, idempotencyKey: key });
const product = async (sku: string) => {
  const list = await call(server.url, 'GET', `/api/admin/stores/aiea/products?q=${sku}`, {
    token: TEST_ADMIN_TOKEN,
  });
  return list.body.products.find((p: { sku: string }) => p.sku === sku);
};

describe('POST /api/holds', () => {
  it('holds units and lowers what is available', async () => {
    const res = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 2, customer: customer(1) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ storeId: 'aiea', sku: 'KIT', quantity: 2, status: 'held' });
    expect(res.body.id).toMatch(/^aiea\./);
    expect(res.body.manageToken).toMatch(/^[0-9a-f]{48}$/);
    expect(res.body.expiresAt - res.body.createdAt).toBe(HOLD_TTL_MS);
    expect(await product('KIT')).toMatchObject({ onHand: 5, held: 2, available: 3 });
  });

  it('answers sold out with what is left, and changes nothing', async () => {
    const res = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 6, customer: customer(1) });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'SOLD_OUT', details: { available: 5, requested: 6 } });
    expect(res.body.message).toBeTruthy();
    expect(await product('KIT')).toMatchObject({ held: 0, available: 5 });
  });

  it('refuses an unknown store or product with 404', async () => {
    expect(
      (await hold({ storeId: 'nowhere', sku: 'KIT', quantity: 1, customer: customer(1) })).body.code,
    ).toBe('STORE_NOT_FOUND');
    const res = await hold({ storeId: 'aiea', sku: 'NOPE', quantity: 1, customer: customer(1) });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('rejects bad input with 400 naming the field, and holds nothing', async () => {
    const res = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 0, customer: { name: 'No contact' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const paths = res.body.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['quantity', 'customer.email']));
    expect(await product('KIT')).toMatchObject({ held: 0 });
  });

  it('requires an Idempotency-Key', async () => {
    const res = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_MISSING');
    expect(await product('KIT')).toMatchObject({ held: 0 });
  });

  it('replays the first result for the same key and changes nothing', async () => {
    const body = { storeId: 'aiea', sku: 'KIT', quantity: 2, customer: customer(1) };
    const key = newKey('replay');
    const first = await hold(body, key);
    const second = await hold(body, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await product('KIT')).toMatchObject({ held: 2 });
  });

  it('replays a refusal too, even after stock arrives', async () => {
    const body = { storeId: 'aiea', sku: 'CASE', quantity: 2, customer: customer(1) };
    const key = newKey('refusal');
    expect((await hold(body, key)).body.code).toBe('SOLD_OUT');
    await seedStore(server.url, 'aiea', [{ sku: 'CASE', onHand: 10 }]);
    expect((await hold(body, key)).body.code).toBe('SOLD_OUT');
  });

  it('refuses the same key with a different payload with 422', async () => {
    const key = newKey('reuse');
    await hold({ storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) }, key);
    const res = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 2, customer: customer(1) }, key);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await product('KIT')).toMatchObject({ held: 1 });
  });

  it('keeps the record as one string that expires, and still replays one kept as a hash with the whole hold', async () => {
    const db = redis.client();
    const key = newKey('record');
    const body = { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) };
    const first = await hold(body, key);
    const record = `{st:aiea}:idem:${key}`;
    expect(await db.type(record)).toBe('string');
    expect(await db.pttl(record)).toBeGreaterThan(0);

    // A record written before 2026-11-23: a hash, whose answer carries the whole hold.
    const stored = (await db.get(record)) ?? '';
    const { id, sku, quantity, status, createdAt, expiresAt, manageToken } = first.body;
    const kept = { id, sku, quantity, status, createdAt, expiresAt, customer: JSON.stringify(customer(1)) };
    await db.del(record);
    await db.hset(
      record,
      'hash',
      stored.slice(0, stored.indexOf('\n')),
      'outcome',
      JSON.stringify({ ok: true, body: { hold: kept, manageToken } }),
    );
    const again = await hold(body, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await hold({ ...body, quantity: 2 }, key);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await product('KIT')).toMatchObject({ held: 1 });
  });
});

describe('a hold through its life', () => {
  async function newHold(quantity = 1) {
    const res = await hold({ storeId: 'aiea', sku: 'KIT', quantity, customer: customer(7) });
    expect(res.status).toBe(201);
    return res.body as { id: string; manageToken: string };
  }
  const step = (method: string, path: string, token: string) =>
    call(server.url, method, path, { token, idempotencyKey: newKey('step') });

  it('lets the customer read and confirm it with the manage token only', async () => {
    const h = await newHold();
    expect((await call(server.url, 'GET', `/api/holds/${h.id}`)).status).toBe(404);
    expect((await call(server.url, 'GET', `/api/holds/${h.id}`, { token: 'f'.repeat(48) })).body.code).toBe(
      'HOLD_NOT_FOUND',
    );
    const confirmed = await step('POST', `/api/holds/${h.id}/confirm`, h.manageToken);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect((await call(server.url, 'GET', `/api/holds/${h.id}`, { token: h.manageToken })).body.status).toBe(
      'confirmed',
    );
  });

  it('frees the units of an expired hold at the next touch, before any sweeper runs', async () => {
    const h = await newHold(5);
    expect(await product('KIT')).toMatchObject({ available: 0 });
    clock.advance(HOLD_TTL_MS - 1);
    const read = () => call(server.url, 'GET', `/api/holds/${h.id}`, { token: h.manageToken });
    expect((await read()).body.status).toBe('held');
    clock.advance(1);
    expect((await read()).body.status).toBe('expired');
    expect(await product('KIT')).toMatchObject({ held: 0, available: 5 });
    const late = await step('POST', `/api/holds/${h.id}/confirm`, h.manageToken);
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('HOLD_EXPIRED');
  });

  it('lets a new hold take units freed by expiry without any read in between', async () => {
    await newHold(5);
    const early = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 5, customer: customer(8) });
    expect(early.body.code).toBe('SOLD_OUT');
    clock.advance(HOLD_TTL_MS);
    const second = await hold({ storeId: 'aiea', sku: 'KIT', quantity: 5, customer: customer(8) });
    expect(second.status).toBe(201);
    expect(second.body.quantity).toBe(5);
  });

  it('keeps a confirmed hold past its time limit', async () => {
    const h = await newHold(2);
    await step('POST', `/api/holds/${h.id}/confirm`, h.manageToken);
    clock.advance(HOLD_TTL_MS * 2);
    expect((await call(server.url, 'GET', `/api/holds/${h.id}`, { token: h.manageToken })).body.status).toBe(
      'confirmed',
    );
    expect(await product('KIT')).toMatchObject({ held: 2 });
  });

  it('releases the units when the customer cancels, once', async () => {
    const h = await newHold(3);
    const cancelled = await step('DELETE', `/api/holds/${h.id}`, h.manageToken);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await step('DELETE', `/api/holds/${h.id}`, h.manageToken);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
    expect(await product('KIT')).toMatchObject({ held: 0, available: 5 });
  });
});
