import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSend } from '../../client/offline/api.ts';
import { TabletDb } from '../../client/offline/db.ts';
import { backoffMs, Outbox } from '../../client/offline/outbox.ts';
import { customer, enrollTablet, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;
let tablet: { token: string; deviceId: string };
let db: TabletDb;
let dbCount = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 3 }]);
  tablet = await enrollTablet(server.url, 'aiea');
  dbCount += 1;
  db = new TabletDb(`outbox-test-${dbCount}`);
});

const onHand = async () =>
  (await call(server.url, 'GET', '/api/admin/stores/aiea/products', { token: TEST_ADMIN_TOKEN })).body
    .products[0] as {
    onHand: number;
    available: number;
  };

/** A network that can be cut, in front of the real server. */
function flakyNetwork() {
  const state = { offline: false, sent: 0 };
  const real = createSend(server.url, () => ({ storeId: 'aiea', credential: tablet.token }));
  const send = async (entry: Parameters<typeof real>[0]) => {
    if (state.offline) throw new TypeError('Failed to fetch');
    state.sent += 1;
    return real(entry);
  };
  return { state, send };
}

describe('the outbox', () => {
  it('keeps actions made offline and sends them in order once the network returns', async () => {
    const net = flakyNetwork();
    let now = 1_000;
    const outbox = new Outbox(db, net.send, () => now);
    net.state.offline = true;
    await outbox.enqueue({
      command: { name: 'stock.receive', args: { sku: 'KIT', quantity: 5 } },
      label: 'Receive 5',
    });
    await outbox.enqueue({
      command: { name: 'stock.count', args: { sku: 'KIT', counted: 6, lastSeen: 8 } },
      label: 'Count 6',
    });
    await outbox.flush();
    const waiting = await outbox.pending();
    expect(waiting.map((e) => e.label)).toEqual(['Receive 5', 'Count 6']);
    expect(waiting[0]?.error?.code).toBe('NETWORK');
    expect(waiting[0]?.nextAttemptAt).toBeGreaterThan(now);

    net.state.offline = false;
    await outbox.flush();
    expect(net.state.sent).toBe(0); // backoff not yet over: nothing is hammered
    now += 60_000;
    await outbox.flush();
    expect(await outbox.pending()).toEqual([]);
    // receive 3 -> 8, then the count (6 given 8 seen) -> 6: the order was kept.
    expect((await onHand()).onHand).toBe(6);
  });

  it('has the effect of sending once when a reply is lost and the action is sent again', async () => {
    const real = createSend(server.url, () => ({ storeId: 'aiea', credential: tablet.token }));
    let dropReply = true;
    const outbox = new Outbox(
      db,
      async (entry) => {
        const reply = await real(entry);
        if (dropReply) {
          dropReply = false;
          throw new TypeError('connection reset after the server applied it');
        }
        return reply;
      },
      () => 10 ** 13,
    );
    await outbox.enqueue({
      command: { name: 'stock.receive', args: { sku: 'KIT', quantity: 2 } },
      label: 'Receive 2',
    });
    await outbox.flush();
    await db.outbox.toCollection().modify({ nextAttemptAt: 0 });
    await outbox.flush();
    expect(await outbox.pending()).toEqual([]);
    expect((await onHand()).onHand).toBe(5);
  });

  it('retries a 503 OUTCOME_UNKNOWN with the same key, keeping the action pending, and it takes effect once', async () => {
    const real = createSend(server.url, () => ({ storeId: 'aiea', credential: tablet.token }));
    const keys: string[] = [];
    const outbox = new Outbox(
      db,
      async (entry) => {
        keys.push(entry.key);
        const reply = await real(entry);
        // The server applied it, then lost Redis's reply: this is what it answers.
        if (keys.length === 1)
          return { status: 503, body: { code: 'OUTCOME_UNKNOWN', message: 'retry with the same key' } };
        return reply;
      },
      () => 10 ** 13,
    );
    await outbox.enqueue({
      command: { name: 'stock.receive', args: { sku: 'KIT', quantity: 2 } },
      label: 'Receive 2',
    });
    await outbox.flush();
    const [waiting] = await outbox.pending();
    expect(waiting).toMatchObject({ state: 'pending', error: { code: 'OUTCOME_UNKNOWN' } });
    await db.outbox.toCollection().modify({ nextAttemptAt: 0 });
    await outbox.flush();
    expect(await outbox.pending()).toEqual([]);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await onHand()).onHand).toBe(5);
  });

  it('keeps a refused action as failed, with the server message, until staff dismiss it', async () => {
    const outbox = new Outbox(
      db,
      createSend(server.url, () => ({ storeId: 'aiea', credential: tablet.token })),
    );
    const events: string[] = [];
    outbox.onEvent((e) => events.push(e.type));
    await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: { storeId: 'aiea', sku: 'KIT', quantity: 3, customer: customer(1) },
    });
    await outbox.enqueue({
      command: { name: 'stock.sell', args: { sku: 'KIT', quantity: 1 } },
      label: 'Sell 1',
    });
    await outbox.enqueue({
      command: { name: 'stock.receive', args: { sku: 'KIT', quantity: 1 } },
      label: 'Receive 1',
    });
    await outbox.flush();
    const failed = await outbox.failed();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ label: 'Sell 1', state: 'failed', error: { code: 'SOLD_OUT' } });
    expect(failed[0]?.error?.message).toMatch(/not enough/i);
    expect(events).toEqual(['failed', 'sent']);
    expect(await outbox.pending()).toEqual([]);
    await outbox.dismiss(failed[0]?.seq ?? -1);
    expect(await outbox.failed()).toEqual([]);
  });

  it('survives a restart: a new outbox over the same database still has the actions', async () => {
    const net = flakyNetwork();
    net.state.offline = true;
    await new Outbox(db, net.send).enqueue({
      command: { name: 'stock.receive', args: { sku: 'KIT', quantity: 1 } },
      label: 'Receive 1',
    });
    db.close();
    const reopened = new TabletDb(db.name);
    net.state.offline = false;
    const outbox = new Outbox(reopened, net.send, () => 10 ** 13);
    await outbox.flush();
    expect((await onHand()).onHand).toBe(4);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter and is capped at a minute', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(1, () => 1)).toBe(1000);
    expect(backoffMs(4, () => 1)).toBe(8000);
    expect(backoffMs(30, () => 1)).toBe(60_000);
    expect(backoffMs(30, () => 0)).toBe(30_000);
  });
});
