import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../helpers/clock.ts';
import { customer, enrollTablet, seedStore, slotTomorrow } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
const ACK_TIMEOUT_MS = 60_000;
/** The server's one clock, moved by the tests instead of waiting for the timeout. */
const clock = manualClock();

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis, { storeAckTimeoutMs: ACK_TIMEOUT_MS }, { clock });
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('store acknowledgement seen by the customer', () => {
  it('waits, then says the store has not answered and gives its phone, then shows when it received the hold', async () => {
    const hold = (
      await call(server.url, 'POST', '/api/holds', {
        idempotencyKey: newKey(),
        body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
      })
    ).body;
    const read = () => call(server.url, 'GET', `/api/holds/${hold.id}`, { token: hold.manageToken });
    expect((await read()).body.storeAcknowledgement).toMatchObject({ status: 'waiting' });
    clock.advance(ACK_TIMEOUT_MS);
    const overdue = await read();
    expect(overdue.body.storeAcknowledgement).toMatchObject({
      status: 'overdue',
      storePhone: '808-555-0100',
      storeName: 'Store aiea',
    });

    const tablet = await enrollTablet(server.url, 'aiea');
    await call(server.url, 'POST', `/api/staff/aiea/holds/${hold.id}/ack`, {
      token: tablet.token,
      idempotencyKey: newKey(),
    });
    const received = (await read()).body;
    expect(received.storeAcknowledgement).toEqual({ status: 'received', at: received.acknowledgedAt });
  });

  it('tells a booking customer the same way', async () => {
    const slotId = await slotTomorrow(server.url, 'ev');
    const booking = (
      await call(server.url, 'POST', '/api/bookings', {
        idempotencyKey: newKey(),
        body: { slotId, customer: customer(2) },
      })
    ).body;
    const read = () => call(server.url, 'GET', `/api/bookings/${booking.id}`, { token: booking.manageToken });
    expect((await read()).body.storeAcknowledgement).toMatchObject({ status: 'waiting' });
    clock.advance(ACK_TIMEOUT_MS);
    expect((await read()).body.storeAcknowledgement).toMatchObject({
      status: 'overdue',
      storePhone: '808-555-0100',
    });
  });
});
