/**
 * Abuse on launch day (issue 10 §4, OWASP API6): a bot that rotates client addresses but books
 * as one customer gets one customer's share: the limit per identity (normalized email or
 * phone), the cap on units held at once across stores, and the event's bookings per customer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config.ts';
import { manualClock } from '../helpers/clock.ts';
import { seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await redis?.stop();
  server = undefined;
  redis = undefined;
});

const STORES = ['aiea', 'kapolei'];
const ON_HAND = 50;
const bot = (n: number) => ({ name: 'Bot', email: n % 2 === 0 ? 'bot@example.com' : 'BOT@Example.COM' });
const honest = { name: 'Leilani', email: 'leilani@example.com' };
let addressCounter = 0;
const newAddress = () => {
  addressCounter += 1;
  return `203.0.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
};

async function start(overrides: Partial<Config>, clock = manualClock()) {
  redis = await startTestRedis();
  server = await startTestServer(redis, { trustProxy: true, ...overrides }, { clock });
  for (const storeId of STORES) await seedStore(server.url, storeId, [{ sku: 'PHONE', onHand: ON_HAND }]);
  const caps = await call(server.url, 'PUT', '/api/admin/products/PHONE/hold-limit', {
    token: TEST_ADMIN_TOKEN,
    body: { maxPerHold: 2, maxHeldAtOnce: 2 },
  });
  expect(caps.body).toEqual({ sku: 'PHONE', maxPerHold: 2, isDefault: false, maxHeldAtOnce: 2 });
  return { url: server.url, clock };
}

const hold = (url: string, storeId: string, customer: object, quantity = 1, address = newAddress()) =>
  call(url, 'POST', '/api/holds', {
    idempotencyKey: newKey('hold'),
    body: { storeId, sku: 'PHONE', quantity, customer },
    headers: { 'x-forwarded-for': address },
  });

/** Units held of PHONE over every store, from the public availability. */
async function unitsHeld(url: string): Promise<number> {
  const { body } = await call(url, 'GET', '/api/products/PHONE/availability');
  return (body.stores as { available: number }[]).reduce((sum, s) => sum + (ON_HAND - s.available), 0);
}

describe('abuse limits (issue 10 §4)', () => {
  it('gives a bot with many addresses and one identity no more than one customer’s share of holds', async () => {
    const { url } = await start({ rateLimitPerMinute: 60, rateLimitPerIdentityPerMinute: 5 });
    const tries = await Promise.all(
      Array.from({ length: 40 }, (_, n) => hold(url, STORES[n % 2] ?? 'aiea', bot(n), 1 + (n % 2))),
    );
    const created = tries.filter((t) => t.status === 201);
    const limited = tries.filter((t) => t.status === 429);
    // Every address is new, so only the identity's limit can be what stopped them.
    expect(limited.length).toBeGreaterThanOrEqual(35);
    for (const t of limited) expect(t.body.details).toMatchObject({ by: 'customer' });
    for (const t of tries.filter((t) => t.status === 409)) expect(t.body.code).toBe('HOLD_LIMIT_REACHED');
    const botUnits = created.reduce((sum, t) => sum + Number(t.body.quantity), 0);
    expect(botUnits).toBeLessThanOrEqual(2);
    expect(await unitsHeld(url)).toBe(botUnits);

    // Another customer is not touched by the bot's limits.
    const fair = await hold(url, 'kapolei', honest, 2);
    expect(fair.status).toBe(201);
  });

  it('caps the units one customer holds at once across stores, and frees the cap as holds end', async () => {
    const clock = manualClock();
    const { url } = await start({ rateLimitPerIdentityPerMinute: 0 }, clock);
    // Racing itself across both stores, the customer gets 2 units in all.
    const race = await Promise.all(
      Array.from({ length: 10 }, (_, n) => hold(url, STORES[n % 2] ?? 'aiea', bot(n))),
    );
    expect(race.filter((r) => r.status === 201)).toHaveLength(2);
    expect(await unitsHeld(url)).toBe(2);
    const refused = await hold(url, 'aiea', bot(0));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'HOLD_LIMIT_REACHED',
      details: { maxHeldAtOnce: 2, heldNow: 2 },
    });

    // A cancelled hold gives its units back to the customer's allowance.
    const first = race.find((r) => r.status === 201)?.body;
    const cancelled = await call(url, 'DELETE', `/api/holds/${first.id}`, {
      token: first.manageToken,
      idempotencyKey: newKey('cancel'),
    });
    expect(cancelled.status).toBe(200);
    expect((await hold(url, 'kapolei', bot(1))).status).toBe(201);
    expect((await hold(url, 'kapolei', bot(1))).status).toBe(409);

    // So do holds that expire unconfirmed.
    clock.advance(server?.deps.config.holdTtlMs ?? 0);
    const again = await hold(url, 'aiea', bot(0), 2);
    expect(again.status).toBe(201);

    // A replay of a hold made at the cap answers that hold, not a refusal.
    const key = newKey('hold');
    const body = { storeId: 'aiea', sku: 'PHONE', quantity: 1, customer: honest };
    const made = await call(url, 'POST', '/api/holds', { idempotencyKey: key, body });
    const madeAgain = await call(url, 'POST', '/api/holds', { idempotencyKey: key, body });
    expect([made.status, madeAgain.status, madeAgain.body.id]).toEqual([201, 201, made.body.id]);
  });

  it('gives a bot one booking, however many addresses it uses, and an admin may allow more per event', async () => {
    const { url } = await start({ rateLimitPerMinute: 60, rateLimitPerIdentityPerMinute: 5 });
    const slot = await slotTomorrow(url, 'launch');
    const book = (customer: object) =>
      call(url, 'POST', '/api/bookings', {
        idempotencyKey: newKey('book'),
        body: { slotId: slot, customer },
        headers: { 'x-forwarded-for': newAddress() },
      });
    const tries = await Promise.all(Array.from({ length: 20 }, (_, n) => book(bot(n))));
    expect(tries.filter((t) => t.status === 201)).toHaveLength(1);
    expect(tries.filter((t) => t.status === 429).length).toBeGreaterThanOrEqual(15);

    const raised = await call(url, 'PUT', '/api/admin/events/launch/booking-limit', {
      token: TEST_ADMIN_TOKEN,
      body: { perCustomerLimit: 2 },
    });
    expect(raised.body).toMatchObject({ id: 'launch', perCustomerLimit: 2 });
    expect((await book(honest)).status).toBe(201);
    expect((await book(honest)).status).toBe(201);
    const third = await book(honest);
    expect(third.body).toMatchObject({ code: 'BOOKING_LIMIT_REACHED', details: { limit: 2 } });
  });
});
