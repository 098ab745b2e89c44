import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customer, enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let tablet: { token: string; deviceId: string };

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, { leaseTtlMs: 60_000, leaseGraceMs: 0 });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
  tablet = await enrollTablet(server.url, 'aiea');
});

const staff = (method: string, path: string, body?: object, key = newKey('staff')) =>
  call(server.url, method, `/api/staff/aiea${path}`, {
    token: tablet.token,
    idempotencyKey: key,
    ...(body ? { body } : {}),
  });
const stock = async () => {
  const res = await call(server.url, 'GET', '/api/staff/aiea/stock', { token: tablet.token });
  expect(res.status).toBe(200);
  return res.body.products.find((p: { sku: string }) => p.sku === 'KIT');
};
const holdUnits = async (quantity: number) => {
  const res = await call(server.url, 'POST', '/api/holds', {
    idempotencyKey: newKey('hold'),
    body: { storeId: 'aiea', sku: 'KIT', quantity, customer: customer(quantity) },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; manageToken: string };
};

describe('stock changes by staff', () => {
  it('receives stock', async () => {
    const res = await staff('POST', '/stock/KIT/receive', { quantity: 4 });
    expect(res.status).toBe(200);
    expect(res.body.stock).toMatchObject({ onHand: 14, available: 14 });
  });

  it('applies a count as a delta against the value the tablet last saw (rule 4)', async () => {
    // The tablet saw 10; meanwhile 2 more were received elsewhere; the shelf count says 7.
    await staff('POST', '/stock/KIT/receive', { quantity: 2 });
    const res = await staff('POST', '/stock/KIT/count', { counted: 7, lastSeen: 10 });
    expect(res.body).toMatchObject({ delta: -3, shortfall: 0, stock: { onHand: 9 } });
  });

  it('flags a shortfall when a count leaves holds above the shelf, and does not hide it', async () => {
    await holdUnits(6);
    const res = await staff('POST', '/stock/KIT/count', { counted: 4, lastSeen: 10 });
    expect(res.body).toMatchObject({
      shortfall: 2,
      stock: { onHand: 4, held: 6, available: 0, shortfall: 2 },
    });
    const view = await call(server.url, 'GET', '/api/staff/aiea/stock', { token: tablet.token });
    expect(view.body.shortfalls).toEqual({ KIT: '2' });
    const audit = await call(server.url, 'GET', '/api/admin/stores/aiea/audit', { token: TEST_ADMIN_TOKEN });
    expect(audit.body.entries.map((e: { type: string }) => e.type)).toContain('stock.shortfall');
  });

  it('keeps a count’s reason in the audit, and the store’s page lists the shortfall it caused (issue 15 §3)', async () => {
    await holdUnits(6);
    const res = await staff('POST', '/stock/KIT/count', { counted: 5, lastSeen: 10, reason: 'Theft' });
    expect(res.body).toMatchObject({ delta: -5, shortfall: 1, stock: { onHand: 5, held: 6 } });
    const audit = await call(server.url, 'GET', '/api/admin/stores/aiea/audit', { token: TEST_ADMIN_TOKEN });
    const count = audit.body.entries.find((e: { type: string }) => e.type === 'stock.count');
    expect(count.data).toMatchObject({ sku: 'KIT', counted: 5, lastSeen: 10, delta: -5, reason: 'Theft' });
    const page = await call(server.url, 'GET', '/api/admin/sync/stores/aiea', { token: TEST_ADMIN_TOKEN });
    expect(page.status).toBe(200);
    expect(page.body.shortfalls).toEqual([{ sku: 'KIT', units: 1 }]);
    // An empty reason is bad input: refused, nothing counted.
    const blank = await staff('POST', '/stock/KIT/count', { counted: 1, lastSeen: 5, reason: ' ' });
    expect(blank.status).toBe(400);
    expect(await stock()).toMatchObject({ onHand: 5 });
  });

  it('sells and writes off only what is available', async () => {
    await holdUnits(8);
    const sold = await staff('POST', '/stock/KIT/sell', { quantity: 2 });
    expect(sold.body.stock).toMatchObject({ onHand: 8, held: 8, available: 0 });
    const refused = await staff('POST', '/stock/KIT/write-off', { quantity: 1, reason: 'damaged' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SOLD_OUT', details: { available: 0 } });
    expect(await stock()).toMatchObject({ onHand: 8 });
  });

  it('records who did what in the audit log', async () => {
    await staff('POST', '/stock/KIT/write-off', { quantity: 1, reason: 'dropped' });
    const audit = await call(server.url, 'GET', '/api/staff/aiea/audit', { token: tablet.token });
    const entry = audit.body.entries[0];
    expect(entry).toMatchObject({
      type: 'stock.write_off',
      actor: { role: 'staff', deviceId: tablet.deviceId },
      data: { sku: 'KIT', onHandBefore: 10, onHandAfter: 9, reason: 'dropped' },
    });
  });
});

describe('pickup queue for staff', () => {
  it('acknowledges once, then picks and hands over: on-hand and held both go down', async () => {
    const h = await holdUnits(2);
    await call(server.url, 'POST', `/api/holds/${h.id}/confirm`, {
      token: h.manageToken,
      idempotencyKey: newKey(),
    });
    const queue = await call(server.url, 'GET', '/api/staff/aiea/holds', { token: tablet.token });
    expect(queue.body.holds).toHaveLength(1);
    expect(queue.body.holds[0].customer.email).toBe('customer2@example.com');

    const ack = await staff('POST', `/holds/${h.id}/ack`);
    expect(ack.body).toMatchObject({ acknowledgedBy: tablet.deviceId });
    const other = await enrollTablet(server.url, 'aiea', 'Second');
    const ack2 = await call(server.url, 'POST', `/api/staff/aiea/holds/${h.id}/ack`, {
      token: other.token,
      idempotencyKey: newKey(),
    });
    expect(ack2.body.acknowledgedBy).toBe(tablet.deviceId);
    const customerView = await call(server.url, 'GET', `/api/holds/${h.id}`, { token: h.manageToken });
    expect(customerView.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);

    expect((await staff('POST', `/holds/${h.id}/pick`)).body.status).toBe('picked');
    expect((await staff('POST', `/holds/${h.id}/hand-over`)).body.status).toBe('fulfilled');
    expect(await stock()).toMatchObject({ onHand: 8, held: 0, available: 8 });
    expect(
      (await call(server.url, 'GET', '/api/staff/aiea/holds', { token: tablet.token })).body.holds,
    ).toHaveLength(0);
  });

  it('refuses to pick a hold the customer has not confirmed', async () => {
    const h = await holdUnits(1);
    const res = await staff('POST', `/holds/${h.id}/pick`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'held' } });
  });
});

describe('leases (escrow for offline selling)', () => {
  it('moves units from available into the lease and back', async () => {
    const taken = await staff('POST', '/leases', { sku: 'KIT', quantity: 3 });
    expect(taken.status).toBe(200);
    expect(taken.body.lease).toMatchObject({ sku: 'KIT', quantity: 3 });
    expect(taken.body.stock).toMatchObject({ leased: 3, available: 7 });
    const report = await staff('POST', '/leases/KIT/report', { actions: [], returnQuantity: 3 });
    expect(report.body).toMatchObject({
      returned: 3,
      lease: { quantity: 0 },
      stock: { leased: 0, available: 10 },
    });
  });

  it('will not lease more than is available', async () => {
    await holdUnits(8);
    const res = await staff('POST', '/leases', { sku: 'KIT', quantity: 3 });
    expect(res.body).toMatchObject({ code: 'SOLD_OUT', details: { available: 2 } });
  });

  it('applies each offline sale once, even when reported twice under different keys', async () => {
    await staff('POST', '/leases', { sku: 'KIT', quantity: 4 });
    const actions = [
      { id: 'sale-0001-abc', kind: 'sale', quantity: 2, at: Date.now() },
      { id: 'woff-0002-abc', kind: 'write_off', quantity: 1, at: Date.now(), reason: 'broken' },
    ];
    const first = await staff('POST', '/leases/KIT/report', { actions, returnQuantity: 0 });
    expect(first.body).toMatchObject({
      applied: ['sale-0001-abc', 'woff-0002-abc'],
      skipped: [],
      lease: { quantity: 1 },
    });
    const again = await staff('POST', '/leases/KIT/report', { actions, returnQuantity: 1 });
    expect(again.body).toMatchObject({
      applied: [],
      skipped: ['sale-0001-abc', 'woff-0002-abc'],
      returned: 1,
    });
    expect(await stock()).toMatchObject({ onHand: 7, leased: 0, available: 7 });
  });

  it('reclaims an expired lease, and a late sale still counts as a physical fact', async () => {
    const shortLived = await startTestServer(redis, { leaseTtlMs: 50, leaseGraceMs: 0, sweepIntervalMs: 20 });
    const { startSweeper } = await import('../../server/stock/sweeper.ts');
    const stop = startSweeper(shortLived.deps);
    try {
      await staff('POST', '/leases', { sku: 'KIT', quantity: 10 }); // through the 60 s server: long lease
      await staff('POST', '/leases/KIT/report', { actions: [], returnQuantity: 10 });
      const taken = await call(shortLived.url, 'POST', '/api/staff/aiea/leases', {
        token: tablet.token,
        idempotencyKey: newKey(),
        body: { sku: 'KIT', quantity: 2 },
      });
      expect(taken.body.stock.leased).toBe(2);
      await waitUntil(stock, (s) => s.leased === 0);
      await holdUnits(9);
      const late = await staff('POST', '/leases/KIT/report', {
        actions: [{ id: 'late-sale-0001', kind: 'sale', quantity: 2, at: Date.now() }],
        returnQuantity: 0,
      });
      expect(late.body).toMatchObject({
        applied: ['late-sale-0001'],
        shortfall: 1,
        stock: { onHand: 8, held: 9 },
      });
    } finally {
      stop();
      await shortLived.close();
    }
  });
});
