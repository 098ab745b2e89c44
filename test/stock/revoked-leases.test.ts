import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeKeys } from '../../server/stock/keys.ts';
import { sweepStore } from '../../server/stock/sweeper.ts';
import { manualClock } from '../helpers/clock.ts';
import { customer, enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from '../http/contract.ts';

/**
 * Issue 15 §1 through the API: a revoked tablet's leased units stay out of `available` until
 * the tablet reports what it did before the revocation (its report-only credential, or its
 * saved file imported by an admin) or an admin settles them, once, recorded with who decided.
 */

const LEASE_TTL_MS = 60_000;
let redis: TestRedis;
let server: TestServer;
let contract: ReturnType<typeof routeContract>;
const clock = manualClock(Date.UTC(2026, 11, 8, 19, 0));
let tablet: { token: string; deviceId: string };
let other: { token: string; deviceId: string };

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, { leaseTtlMs: LEASE_TTL_MS, leaseGraceMs: 0 }, { clock });
  contract = routeContract(server.app);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'CHG', onHand: 20 }]);
  tablet = await enrollTablet(server.url, 'aiea', 'Second tablet');
  other = await enrollTablet(server.url, 'aiea', 'Front counter');
});

async function admin(
  method: string,
  path: string,
  options: { body?: unknown; idempotencyKey?: string } = {},
) {
  const res = await call(server.url, method, `/api/admin${path}`, { token: TEST_ADMIN_TOKEN, ...options });
  contract.check(method, `/api/admin${path}`, res.status, res.body);
  return res;
}
const chg = async () =>
  (await admin('GET', '/stores/aiea/products?q=CHG')).body.products.find(
    (p: { sku: string }) => p.sku === 'CHG',
  );
const takeLease = (quantity: number) =>
  call(server.url, 'POST', '/api/staff/aiea/leases', {
    token: tablet.token,
    idempotencyKey: newKey('lease'),
    body: { sku: 'CHG', quantity },
  });
const sale = (id: string, at: number, quantity = 1) => ({ id, kind: 'sale' as const, quantity, at });
/** The lease report, as the tablet's outbox sends it (with its report-only credential once revoked). */
const report = (actions: object[], key = newKey('report'), returnQuantity = 0) =>
  call(server.url, 'POST', '/api/staff/aiea/leases/CHG/report', {
    token: tablet.token,
    idempotencyKey: key,
    body: { actions, returnQuantity },
  });
const revoke = () => admin('POST', `/devices/${tablet.deviceId}/revoke`);

describe('a revoked tablet’s leased units (issue 15 §1)', () => {
  it('stay out of available after revocation, and neither lease expiry nor the sweeper puts them back', async () => {
    expect((await takeLease(2)).status).toBe(200);
    clock.advance(1_000);
    // Offline, the tablet sells one: the server does not know yet.
    const soldAt = clock.now();
    clock.advance(1_000);
    const revoked = await revoke();
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ unreportedUnits: 2, device: { revokedAt: clock.now() } });
    expect(await chg()).toMatchObject({ onHand: 20, leased: 2, available: 18 });

    clock.advance(LEASE_TTL_MS * 10);
    await sweepStore(server.deps, 'aiea');
    expect(await chg()).toMatchObject({ onHand: 20, leased: 2, available: 18 });
    // A customer cannot reserve the units the tablet may have sold.
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('hold'),
      body: { storeId: 'aiea', sku: 'CHG', quantity: 19, customer: customer('late') },
    });
    expect(hold.body.code).toBe('SOLD_OUT');

    const listed = await admin('GET', '/tablets?storeId=aiea');
    const row = listed.body.tablets.find((t: { deviceId: string }) => t.deviceId === tablet.deviceId);
    expect(row).toMatchObject({
      state: 'revoked',
      leases: [expect.objectContaining({ sku: 'CHG', quantity: 2 })],
    });

    // The report of the sale made before the revocation is taken; nothing else of the credential works.
    expect((await report([sale('sale-before-0001', soldAt)])).status).toBe(200);
    expect(await chg()).toMatchObject({ onHand: 19, leased: 1, available: 18 });
    for (const [method, path] of [
      ['GET', '/api/staff/aiea/stock'],
      ['GET', '/api/staff/aiea/leases'],
      ['POST', '/api/staff/aiea/sync-ticket'],
      ['POST', '/api/staff/aiea/stock/CHG/sell'],
      ['POST', '/api/staff/aiea/leases'],
    ] as const) {
      const res = await call(server.url, method, path, {
        token: tablet.token,
        idempotencyKey: newKey('x'),
        ...(method === 'POST' ? { body: { sku: 'CHG', quantity: 1 } } : {}),
      });
      expect([path, res.status, res.body.code]).toEqual([path, 401, 'DEVICE_REVOKED']);
    }
  });

  it('applies a late report of a sale made before the revocation once: a replay and a resend change nothing', async () => {
    await takeLease(2);
    const soldAt = clock.now();
    clock.advance(5_000);
    await revoke();
    const key = newKey('late');
    const first = await report([sale('sale-before-0002', soldAt)], key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ applied: ['sale-before-0002'], returned: 0, lease: { quantity: 1 } });
    const after = await chg();
    expect(after).toMatchObject({ onHand: 19, leased: 1, available: 18 });

    const replay = await report([sale('sale-before-0002', soldAt)], key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const resent = await report([sale('sale-before-0002', soldAt)]);
    expect(resent.body).toMatchObject({ applied: [], skipped: ['sale-before-0002'] });
    expect(await chg()).toEqual(after);
    const audit = await admin('GET', `/audit?storeId=aiea&type=lease.sale&deviceId=${tablet.deviceId}`);
    expect(audit.body.entries).toHaveLength(1);
  });

  it('refuses an action made after the revocation, a report beyond the lease left, and never gives units back', async () => {
    await takeLease(2);
    await revoke();
    const before = await chg();
    const after = await report([sale('sale-after-0003', clock.now() + 1)]);
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({
      code: 'ACTION_AFTER_REVOCATION',
      message: expect.stringContaining('after the tablet was removed'),
    });
    const beyond = await report([sale('sale-beyond-0003', clock.now() - 1, 3)]);
    expect(beyond.status).toBe(409);
    expect(beyond.body).toMatchObject({ code: 'LEASE_EXCEEDED', details: { left: 2, quantity: 3 } });
    // Whole or nothing: one refused action refuses the report, the good one with it.
    const mixed = await report([
      sale('sale-good-0003', clock.now() - 1),
      sale('sale-late-0003', clock.now() + 1),
    ]);
    expect(mixed.body.code).toBe('ACTION_AFTER_REVOCATION');
    const giveBack = await report([], newKey('give-back'), 2);
    expect(giveBack.body).toMatchObject({ returned: 0, lease: { quantity: 2 } });
    expect(await chg()).toEqual(before);
  });

  it('an admin returns the rest to the shelf once, recorded with who decided; a later report is refused', async () => {
    await takeLease(2);
    const soldAt = clock.now();
    clock.advance(1_000);
    await revoke();
    await report([sale('sale-before-0004', soldAt)]);
    const key = newKey('settle');
    const settled = await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'return' },
      idempotencyKey: key,
    });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({
      decision: 'return',
      units: 1,
      products: [{ sku: 'CHG', quantity: 1, stock: { onHand: 19, leased: 0, available: 19 } }],
    });
    const replay = await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'return' },
      idempotencyKey: key,
    });
    expect(replay.body).toEqual(settled.body);
    const again = await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'return' },
      idempotencyKey: newKey('settle'),
    });
    expect(again.body).toMatchObject({ units: 0, products: [] });
    expect(await chg()).toMatchObject({ onHand: 19, leased: 0, available: 19 });
    const audit = await admin('GET', `/audit?storeId=aiea&type=lease.settled&deviceId=${tablet.deviceId}`);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actor: { role: 'admin' },
        data: expect.objectContaining({ sku: 'CHG', quantity: 1, decision: 'return' }),
      }),
    ]);
    const late = await report([sale('sale-before-0005', soldAt)]);
    expect(late.body).toMatchObject({ code: 'LEASE_EXCEEDED', details: { left: 0 } });
    expect(await chg()).toMatchObject({ onHand: 19, available: 19 });
  });

  it('an admin writes the units of a lost tablet off: on hand and leased go down, available does not move', async () => {
    await takeLease(2);
    await revoke();
    const settled = await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'write_off' },
      idempotencyKey: newKey('settle'),
    });
    expect(settled.body).toMatchObject({ decision: 'write_off', units: 2 });
    expect(await chg()).toMatchObject({ onHand: 18, leased: 0, available: 18 });
    const active = await admin('POST', `/tablets/${other.deviceId}/settle`, {
      body: { decision: 'write_off' },
      idempotencyKey: newKey('settle'),
    });
    expect(active.status).toBe(409);
    expect(active.body.code).toBe('DEVICE_NOT_REVOKED');
    const bad = await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'keep' },
      idempotencyKey: newKey('settle'),
    });
    expect(bad.status).toBe(400);
  });

  it('imports the tablet’s saved file: its offline sales once, whichever of file and tablet comes first', async () => {
    await takeLease(2);
    const soldAt = clock.now();
    clock.advance(1_000);
    await revoke();
    const saleKey = newKey('outbox');
    const file = {
      exportedAt: new Date(clock.now()).toISOString(),
      storeId: 'aiea',
      deviceId: tablet.deviceId,
      deviceName: 'Second tablet',
      actions: [
        {
          label: 'Sell 1 × CHG (offline, from this tablet’s allowance)',
          idempotencyKey: saleKey,
          command: {
            name: 'lease.report',
            args: { sku: 'CHG', actions: [sale('sale-file-0006', soldAt)], returnQuantity: 0 },
          },
          madeAt: new Date(soldAt).toISOString(),
          state: 'pending',
        },
        {
          label: 'Receive 5 × CHG',
          idempotencyKey: newKey('outbox'),
          command: { name: 'stock.receive', args: { sku: 'CHG', quantity: 5 } },
          state: 'pending',
        },
      ],
    };
    const imported = await admin('POST', `/tablets/${tablet.deviceId}/import`, { body: file });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ applied: 1, alreadyApplied: 0, refused: 0, notTaken: 1 });
    expect(await chg()).toMatchObject({ onHand: 19, leased: 1, available: 18 });
    const twice = await admin('POST', `/tablets/${tablet.deviceId}/import`, { body: file });
    expect(twice.body).toMatchObject({ applied: 0, alreadyApplied: 1, notTaken: 1 });
    // The tablet, back online, sends the same entry: the first answer, nothing applied again.
    const fromTablet = await report([sale('sale-file-0006', soldAt)], saleKey);
    expect(fromTablet.status).toBe(200);
    expect(fromTablet.headers.get('idempotent-replayed')).toBe('true');
    expect(await chg()).toMatchObject({ onHand: 19, leased: 1, available: 18 });
    const notRevoked = await admin('POST', `/tablets/${other.deviceId}/import`, { body: { actions: [] } });
    expect(notRevoked.body.code).toBe('DEVICE_NOT_REVOKED');
  });

  it('says so first when the store’s last active tablet is revoked while pickups wait', async () => {
    await admin('POST', `/devices/${other.deviceId}/revoke`);
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey('hold'),
      body: { storeId: 'aiea', sku: 'CHG', quantity: 1, customer: customer('Kai') },
    });
    expect(hold.status).toBe(201);
    const preview = await admin('GET', `/devices/${tablet.deviceId}/revocation`);
    expect(preview.body).toEqual({ lastActiveTablet: true, waitingPickups: 1, leasedUnits: 0 });
    const refused = await revoke();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'LAST_TABLET_PICKUPS_WAITING',
      details: { waitingPickups: 1 },
    });
    const stillWorks = await call(server.url, 'GET', '/api/staff/aiea/stock', { token: tablet.token });
    expect(stillWorks.status).toBe(200);
    const confirmed = await admin('POST', `/devices/${tablet.deviceId}/revoke?confirmWaitingPickups=true`);
    expect(confirmed.status).toBe(200);
  });

  it('sync status shows a revoked tablet with unreported units, and its store, as needing attention until settled', async () => {
    await takeLease(2);
    await revoke();
    const overview = async () => {
      const res = await admin('GET', '/sync-overview');
      const store = res.body.stores.find((s: { storeId: string }) => s.storeId === 'aiea');
      const row = store.tablets.find((t: { deviceId: string }) => t.deviceId === tablet.deviceId);
      return { store: store.verdict, storeReasons: store.reasons, tablet: row.verdict, reasons: row.reasons };
    };
    expect(await overview()).toMatchObject({
      store: 'needs_attention',
      tablet: 'needs_attention',
      reasons: ['removed by an admin with 2 units unreported: settle on the Tablets page'],
    });
    await admin('POST', `/tablets/${tablet.deviceId}/settle`, {
      body: { decision: 'return' },
      idempotencyKey: newKey('settle'),
    });
    const settled = await overview();
    expect(settled.tablet).toBe('removed');
    expect(settled.store).not.toBe('needs_attention');
    expect(await redis.client().hget(storeKeys('aiea').revokedDevices, tablet.deviceId)).not.toBeNull();
  });
});
