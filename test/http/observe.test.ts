import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { type CapturedLog, captureLog } from '../helpers/log-capture.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let captured: CapturedLog;

beforeAll(async () => {
  redis = await startTestRedis();
  captured = captureLog('trace');
  server = await startTestServer(redis, {}, { log: captured.log });
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 5 },
    { sku: 'LAST', onHand: 1 },
  ]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

/** Every way the contact could be written: as typed, lower-cased, the phone's digits alone. */
const CONTACT = {
  name: 'Keala Kahananui',
  email: 'Keala.Private@Example.org',
  phone: '+1 (808) 555-0199',
};
const contactForms = [
  CONTACT.name,
  'Kahananui',
  CONTACT.email,
  CONTACT.email.toLowerCase(),
  'Keala.Private',
  CONTACT.phone,
  '555-0199',
  '8085550199',
];

describe('the request log', () => {
  it("never writes a customer's contact or manage token, of holds and bookings made or refused", async () => {
    const url = server.url;
    const customer = { ...CONTACT };
    const hold = await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer },
    });
    expect(hold.status).toBe(201);
    const read = await call(url, 'GET', `/api/holds/${hold.body.id}`, { token: hold.body.manageToken });
    expect(read.status).toBe(200);
    const slot = await slotTomorrow(url, 'launch');
    const booking = await call(url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId: slot, customer },
    });
    expect(booking.status).toBe(201);
    // Refused: sold out, a slot that does not exist, a body that fails its schema, a body
    // that is not JSON, and a manage token that is wrong.
    await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'LAST', quantity: 1, customer },
    });
    const soldOut = await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'LAST', quantity: 1, customer },
    });
    expect(soldOut.body.code).toBe('SOLD_OUT');
    const noSlot = await call(url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId: `${slot}x`, customer },
    });
    expect(noSlot.status).toBeGreaterThanOrEqual(400);
    const invalid = await call(url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: {
        storeId: 'aiea',
        sku: 'KIT',
        quantity: 0,
        customer: { ...customer, email: `${CONTACT.email}@` },
      },
    });
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    const notJson = await fetch(`${url}/api/holds`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': newKey(),
        cookie: `x=${CONTACT.email}`,
      },
      body: `{"customer": {"email": "${CONTACT.email}", "phone": "${CONTACT.phone}"`,
    });
    expect(notJson.status).toBe(400);
    const wrongToken = await call(url, 'GET', `/api/holds/${hold.body.id}`, {
      token: `${hold.body.manageToken}x`,
    });
    expect(wrongToken.status).toBeGreaterThanOrEqual(400);

    const text = captured.text();
    for (const form of [...contactForms, hold.body.manageToken, booking.body.manageToken])
      expect(text, form).not.toContain(form);
    // The lines are there, with their route templates and codes: what was left out was left out on purpose.
    const requests = captured.records().filter((r) => r.msg === 'request');
    const seen = requests.map((r) => `${r.method} ${r.route} ${r.status} ${r.code ?? ''}`.trim());
    expect(seen).toEqual(
      expect.arrayContaining([
        'POST /api/holds 201',
        'GET /api/holds/:holdId 200',
        'POST /api/bookings 201',
        'POST /api/holds 409 SOLD_OUT',
        'POST /api/holds 400 VALIDATION_FAILED',
      ]),
    );
    const made = requests.find((r) => r.route === '/api/holds' && r.status === 201);
    expect(made).toMatchObject({
      level: 'info',
      store: 'aiea',
      reqId: expect.any(String),
      ms: expect.any(Number),
    });
  });

  it('redacts contact fields and credentials that a caller logs by mistake', () => {
    const own = captureLog('info');
    own.log.info(
      { customer: CONTACT, hold: { email: CONTACT.email, phone: CONTACT.phone, name: CONTACT.name } },
      'oops',
    );
    own.log.warn({ headers: { authorization: 'Bearer adm_secret', cookie: 'holdfast_admin=abc' } }, 'oops');
    own.log.error({
      err: new Error(`script failed for ${CONTACT.email} / ${CONTACT.phone} (Bearer mt_abc)`),
    });
    const text = own.text();
    for (const form of [...contactForms, 'adm_secret', 'holdfast_admin', 'mt_abc'])
      expect(text, form).not.toContain(form);
    expect(own.records()).toHaveLength(3);
    expect(text).toContain('[redacted]');
  });
});

describe('X-Request-Id', () => {
  it('answers with a sane incoming id, and with a new one instead of one that is not', async () => {
    const kept = await call(server.url, 'GET', '/api/stores', {
      headers: { 'x-request-id': 'lb-7f3a9c21.x' },
    });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a9c21.x');
    const replaced = await call(server.url, 'GET', '/api/stores', {
      headers: { 'x-request-id': `${CONTACT.email} <script>` },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await call(server.url, 'GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const ids = captured.records().map((r) => r.reqId);
    expect(ids).toContain('lb-7f3a9c21.x');
    expect(ids).toContain(replaced.headers.get('x-request-id'));
    expect(captured.text()).not.toContain('<script>');
  });
});
