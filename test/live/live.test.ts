import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customer, enrollTablet, seedStore, slotTomorrow, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, type TestServer } from '../helpers/server.ts';
import { openSse, type SseClient } from '../helpers/sse.ts';

let redis: TestRedis;
let server: TestServer;
let second: TestServer;
const streams: SseClient[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  second = await startTestServer(redis);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await second?.close();
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await redis.flush();
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10, name: 'Trade-in kit' }]);
});

const open = (url: string, headers?: Record<string, string>) => {
  const stream = openSse(url, headers);
  streams.push(stream);
  return stream;
};
const hold = (n: number | string) =>
  call(server.url, 'POST', '/api/holds', {
    idempotencyKey: newKey(),
    body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(n) },
  });
const until = (condition: () => boolean, timeoutMs = 5_000) =>
  waitUntil(
    async () => condition(),
    (met) => met,
    timeoutMs,
  );
const named = (stream: SseClient, event: string) => stream.events.filter((e) => e.event === event);

describe('live updates over server-sent events', () => {
  it('sends a store’s new availability on every change, from either instance, each event id a stream id', async () => {
    const a = open(`${server.url}/api/live/stores/aiea?sku=KIT`);
    const b = open(`${second.url}/api/live/stores/aiea`);
    await until(() => named(a, 'ready').length === 1 && named(b, 'ready').length === 1);
    await hold(1);
    await until(() => named(a, 'availability').length === 1 && named(b, 'availability').length === 1);
    for (const stream of [a, b]) {
      const [event] = named(stream, 'availability');
      expect(JSON.parse(event?.data ?? '{}')).toMatchObject({ storeId: 'aiea', sku: 'KIT', available: 9 });
      expect(event?.id).toMatch(/^\d+-\d+$/);
    }
  });

  it('resumes from Last-Event-ID with nothing lost', async () => {
    const first = open(`${server.url}/api/live/stores/aiea`);
    await until(() => named(first, 'ready').length === 1);
    await hold(1);
    await until(() => named(first, 'availability').length === 1);
    const lastEventId = named(first, 'availability')[0]?.id ?? '';
    first.close();
    await hold(2);
    await hold(3);
    const resumed = open(`${server.url}/api/live/stores/aiea`, { 'last-event-id': lastEventId });
    await until(() => named(resumed, 'availability').length === 2);
    expect(named(resumed, 'availability').map((e) => JSON.parse(e.data).available)).toEqual([7, 7]);
    expect(named(resumed, 'availability').every((e) => (e.id ?? '') > lastEventId)).toBe(true);
  });

  it('frees a closed viewer’s subscription at once', async () => {
    const before = server.deps.hub.stats().subscriptions;
    const viewer = open(`${server.url}/api/live/stores/aiea`);
    await until(() => named(viewer, 'ready').length === 1);
    expect(server.deps.hub.stats().subscriptions).toBe(before + 1);
    viewer.close();
    await until(() => server.deps.hub.stats().subscriptions === before);
  });

  it('carries no name, email, phone or token in public streams', async () => {
    const slotId = await slotTomorrow(server.url, 'launch');
    const store = open(`${server.url}/api/live/stores/aiea`);
    const event = open(`${server.url}/api/live/events/launch`);
    await until(() => named(store, 'ready').length === 1 && named(event, 'ready').length === 1);
    const made = await hold('private');
    const booked = await call(server.url, 'POST', '/api/bookings', {
      idempotencyKey: newKey(),
      body: { slotId, customer: { name: 'Leilani Secret', phone: '808-555-0199' } },
    });
    expect(booked.status).toBe(201);
    await until(() => named(store, 'availability').length === 1 && named(event, 'slot').length === 1);
    expect(JSON.parse(named(event, 'slot')[0]?.data ?? '{}')).toMatchObject({
      id: slotId,
      remaining: 4,
      state: 'open',
    });
    const everything = JSON.stringify([...store.events, ...event.events]);
    for (const secret of ['Customer private', 'customerprivate@example.com', 'Leilani', '808-555-0199']) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(made.body.manageToken);
    expect(everything).not.toContain(booked.body.manageToken);
  });

  it('follows one hold with its manage token, and shows the store received it', async () => {
    const made = await hold('own');
    expect(await open(`${server.url}/api/live/holds/${made.body.id}`).status).toBe(404);
    const own = open(`${server.url}/api/live/holds/${made.body.id}`, {
      authorization: `Bearer ${made.body.manageToken}`,
    });
    await until(() => named(own, 'hold').length === 1);
    expect(JSON.parse(named(own, 'hold')[0]?.data ?? '{}')).toMatchObject({
      status: 'held',
      storeAcknowledgement: { status: 'waiting' },
    });
    const tablet = await enrollTablet(server.url, 'aiea');
    const ack = await call(server.url, 'POST', `/api/staff/aiea/holds/${made.body.id}/ack`, {
      token: tablet.token,
      idempotencyKey: newKey(),
    });
    expect(ack.status).toBe(200);
    await until(() =>
      named(own, 'hold').some((e) => JSON.parse(e.data).storeAcknowledgement.status === 'received'),
    );
  });
});
