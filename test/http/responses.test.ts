import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentAdminRoutes } from '../../server/appointments/admin-routes.ts';
import { appointmentRoutes } from '../../server/appointments/routes.ts';
import { adminDeviceRoutes, enrollmentRoutes } from '../../server/auth/routes.ts';
import { statusRoutes } from '../../server/status/routes.ts';
import { storeRoutes } from '../../server/stock/routes.ts';
import { staffStockRoutes } from '../../server/stock/staff-routes.ts';
import { addDays, dateInZone } from '../../shared/time.ts';
import { manualClock } from '../helpers/clock.ts';
import { customer, HNL } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { routeContract } from './contract.ts';

let redis: TestRedis;
let server: TestServer;
let contract: ReturnType<typeof routeContract>;
const clock = manualClock();

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, {}, { clock });
  contract = routeContract(server.app);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

type Options = Parameters<typeof call>[3];

/** The routes of the routers this scenario walks through, named as mounted in server/app.ts. */
function coveredRouteNames(): string[] {
  const mounted = [
    ['/api', enrollmentRoutes(server.deps)],
    ['/api/admin', adminDeviceRoutes(server.deps)],
    ['/api', storeRoutes(server.deps)],
    ['/api', staffStockRoutes(server.deps)],
    ['/api', appointmentRoutes(server.deps)],
    ['/api', appointmentAdminRoutes(server.deps)],
    ['/api', statusRoutes(server.deps)],
  ] as const;
  return mounted.flatMap(([prefix, router]) =>
    router.openAPIRegistry.definitions.flatMap((d) =>
      d.type === 'route' ? [`${d.route.method.toUpperCase()} ${prefix}${d.route.path}`] : [],
    ),
  );
}

/** A real request whose answer must match what its route declared for that status. */
async function api(method: string, path: string, expectedStatus: number, options: Options = {}) {
  const res = await call(server.url, method, path, options);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expectedStatus);
  contract.check(method, path, res.status, res.body);
  return res.body;
}
const admin = (extra: Options = {}) => ({ token: TEST_ADMIN_TOKEN, ...extra });
const mutation = (extra: Options = {}) => ({ idempotencyKey: newKey(), ...extra });

describe('real answers match the schemas their routes declare', () => {
  it('holds for every route, its success and its common refusals', async () => {
    // Admin sets up a store and its products.
    const store = { id: 'aiea', name: 'Aiea', address: '1 Test St', phone: '808-555-0100', ...HNL };
    await api('PUT', '/api/admin/stores/aiea', 200, admin({ body: store }));
    const products = [
      { sku: 'KIT', name: 'Starter kit', onHand: 10 },
      { sku: 'CASE', name: 'Case', onHand: 5 },
    ];
    await api('POST', '/api/admin/stores/aiea/products', 200, admin(mutation({ body: { products } })));
    await api('GET', '/api/stores', 200);
    await api('GET', '/api/stores/aiea/products?q=kit&limit=5', 200);
    await api('GET', '/api/admin/stores/aiea/products?q=kit', 200, admin());

    // A tablet enrolls.
    const { code } = await api('POST', '/api/admin/stores/aiea/enrollments', 201, admin());
    const enrolled = await api('POST', '/api/enroll', 201, { body: { code, deviceName: 'Front desk' } });
    const tablet = (extra: Options = {}) => ({ token: enrolled.credential as string, ...extra });
    await api('GET', '/api/admin/devices', 200, admin());

    // A customer holds, reads and confirms; staff take it to the hand-over.
    const hold = (quantity: number) =>
      api(
        'POST',
        '/api/holds',
        201,
        mutation({ body: { storeId: 'aiea', sku: 'KIT', quantity, customer: customer(1) } }),
      );
    const first = await hold(2);
    const owner = { token: first.manageToken as string };
    await api('GET', `/api/holds/${first.id}`, 200, owner);
    await api('POST', `/api/holds/${first.id}/confirm`, 200, mutation(owner));
    await api('GET', '/api/staff/aiea/holds', 200, tablet());
    for (const step of ['ack', 'accept', 'pick', 'hand-over']) {
      await api('POST', `/api/staff/aiea/holds/${first.id}/${step}`, 200, tablet(mutation()));
    }
    const second = await hold(1);
    await api('POST', `/api/staff/aiea/holds/${second.id}/cancel`, 200, tablet(mutation()));
    const third = await hold(1);
    await api('DELETE', `/api/holds/${third.id}`, 200, mutation({ token: third.manageToken }));

    // Staff change stock, lease units for offline selling and report them.
    const stock = await api('GET', '/api/staff/aiea/stock', 200, tablet());
    const kit = (stock.products as { sku: string; onHand: number }[]).find((p) => p.sku === 'KIT');
    await api('POST', '/api/staff/aiea/stock/KIT/receive', 200, tablet(mutation({ body: { quantity: 3 } })));
    await api(
      'POST',
      '/api/staff/aiea/stock/KIT/count',
      200,
      tablet(mutation({ body: { counted: 12, lastSeen: (kit?.onHand ?? 0) + 3 } })),
    );
    await api('POST', '/api/staff/aiea/stock/KIT/sell', 200, tablet(mutation({ body: { quantity: 1 } })));
    await api(
      'POST',
      '/api/staff/aiea/stock/KIT/write-off',
      200,
      tablet(mutation({ body: { quantity: 1, reason: 'dropped' } })),
    );
    await api('POST', '/api/staff/aiea/leases', 200, tablet(mutation({ body: { sku: 'KIT', quantity: 2 } })));
    await api('GET', '/api/staff/aiea/leases', 200, tablet());
    const sale = { id: newKey('offline'), kind: 'sale', quantity: 1, at: Date.now() };
    await api(
      'POST',
      '/api/staff/aiea/leases/KIT/report',
      200,
      tablet(mutation({ body: { actions: [sale], returnQuantity: 1 } })),
    );
    await api('GET', '/api/staff/aiea/audit?limit=5', 200, tablet());
    await api('GET', '/api/admin/stores/aiea/audit', 200, admin());

    // The tablet reports its state; the admin reads it.
    const status = {
      appVersion: '1.0.0',
      pending: 0,
      failed: 0,
      oldestPendingAgeMs: 0,
      lastSyncedAt: Date.now(),
    };
    await api('PUT', '/api/staff/aiea/status', 200, tablet({ body: status }));
    await api('GET', '/api/admin/sync-status', 200, admin());

    // An event, its slots, and bookings through every step.
    await api('POST', '/api/admin/events', 201, admin({ body: { id: 'launch', name: 'Launch' } }));
    const date = addDays(dateInZone(Date.now(), HNL.timeZone), 1);
    const plan = {
      storeIds: ['aiea'],
      firstDate: date,
      days: 1,
      dayStart: '09:00',
      dayEnd: '10:00',
      capacity: 5,
    };
    await api('POST', '/api/admin/events/launch/slots', 201, admin({ body: plan }));
    await api('PUT', '/api/admin/events/launch/booking-limit', 200, admin({ body: { perCustomerLimit: 1 } }));
    await api('GET', '/api/events', 200);
    const { slots } = await api('GET', `/api/events/launch/slots?storeId=aiea&date=${date}`, 200);
    const [nine, nineThirty] = slots as { id: string }[];
    const book = (n: number) =>
      api(
        'POST',
        '/api/bookings',
        201,
        mutation({ body: { slotId: nine?.id, customer: customer(`b${n}`) } }),
      );
    const booking = await book(1);
    const bookingOwner = { token: booking.manageToken as string };
    await api('GET', `/api/bookings/${booking.id}`, 200, bookingOwner);
    await api(
      'POST',
      `/api/bookings/${booking.id}/reschedule`,
      200,
      mutation({ ...bookingOwner, body: { slotId: nineThirty?.id } }),
    );
    await api('GET', `/api/staff/aiea/appointments?date=${date}`, 200, tablet());
    for (const step of ['ack', 'check-in']) {
      await api('POST', `/api/staff/aiea/bookings/${booking.id}/${step}`, 200, tablet(mutation()));
    }
    const late = await book(2);
    // Its slot has not started: a no-show is refused (issue 15 §2), in the declared shape.
    await api('POST', `/api/staff/aiea/bookings/${late.id}/no-show`, 409, tablet(mutation()));
    await api('POST', `/api/staff/aiea/bookings/${booking.id}/undo`, 200, tablet(mutation()));
    const dropped = await book(3);
    await api('POST', `/api/staff/aiea/bookings/${dropped.id}/cancel`, 200, tablet(mutation()));
    const changedMind = await book(4);
    await api('DELETE', `/api/bookings/${changedMind.id}`, 200, mutation({ token: changedMind.manageToken }));

    // Refusals have the declared error shape, with a code declared for that status.
    await api(
      'POST',
      '/api/holds',
      409,
      mutation({ body: { storeId: 'aiea', sku: 'CASE', quantity: 6, customer: customer(9) } }),
    );
    await api('POST', '/api/holds', 400, mutation({ body: { storeId: 'aiea', sku: 'KIT' } }));
    await api('POST', '/api/holds', 400, {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(9) },
    });
    await api('GET', `/api/holds/${first.id}`, 404);
    await api('GET', '/api/stores/nowhere/products', 404);
    await api('GET', '/api/staff/aiea/stock', 401);

    // Two days on, the slot has started: now the customer who never came is a no-show.
    clock.advance(2 * 86_400_000);
    await api('POST', `/api/staff/aiea/bookings/${late.id}/no-show`, 200, tablet(mutation()));

    // Last: revoking the tablet (its credential stops working).
    await api('GET', `/api/admin/devices/${enrolled.deviceId}/revocation`, 200, admin());
    await api(
      'POST',
      `/api/admin/devices/${enrolled.deviceId}/revoke?confirmWaitingPickups=true`,
      200,
      admin(),
    );
    await api('GET', '/api/staff/aiea/stock', 401, tablet());

    // Every route of the routers above had a real answer checked (routers added later have their own tests).
    const covered = coveredRouteNames();
    expect(covered.length).toBeGreaterThan(40);
    expect(contract.unexercised().filter((name) => covered.includes(name))).toEqual([]);
  });

  it('catches an answer that does not match its declaration', () => {
    expect(() => contract.check('GET', '/api/stores', 200, { stores: [{ id: 'aiea' }] })).toThrow(/schema/);
    expect(() => contract.check('GET', '/api/stores', 200, { stores: [], extra: true })).toThrow(/declare/);
    expect(() => contract.check('GET', '/api/stores', 418, {})).toThrow(/does not declare/);
    expect(() => contract.check('GET', '/api/nothing', 200, {})).toThrow(/no declared route/);
  });
});
