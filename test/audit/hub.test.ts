import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStreamHub, type StreamHub } from '../../server/audit/hub.ts';
import type { AuditEntry } from '../../server/audit/streams.ts';
import { typeNameOf } from '../../shared/audit-events.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let client: Redis;
let hub: StreamHub;
const errors: unknown[] = [];
const strictClients: Redis[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  client = redis.client();
});
afterAll(async () => {
  for (const c of strictClients) c.disconnect();
  await redis.stop();
});
afterEach(async () => {
  await hub?.close();
  expect(errors).toEqual([]);
  await redis.flush();
});

function newHub(): StreamHub {
  hub = createStreamHub(client, (error) => errors.push(error));
  return hub;
}

async function append(stream: string, type: string, data: Record<string, unknown> = {}): Promise<string> {
  const id = await client.xadd(
    stream,
    '*',
    'type',
    type,
    'actor',
    '{"role":"system"}',
    'at',
    1,
    'data',
    JSON.stringify(data),
  );
  return String(id);
}

/** Waits (bounded) until `condition` holds. */
function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  return waitUntil(
    async () => condition(),
    (met) => met,
    timeoutMs,
  );
}

/** Collects what a subscriber is given. */
function collector() {
  const got: AuditEntry[] = [];
  return { got, onEntries: (entries: AuditEntry[]) => void got.push(...entries) };
}

describe('the stream hub', () => {
  it('reads a stream once for all its subscribers and gives each every new entry, in order', async () => {
    newHub();
    const a = collector();
    const b = collector();
    await append('{st:x}:audit', 'before');
    await hub.subscribe('{st:x}:audit', a).ready;
    await hub.subscribe('{st:x}:audit', b).ready;
    expect(hub.stats()).toEqual({ streams: 1, subscriptions: 2 });
    const ids = [
      await append('{st:x}:audit', 'one', { n: 1 }),
      await append('{st:x}:audit', 'two', { n: 2 }),
    ];
    await until(() => a.got.length === 2 && b.got.length === 2);
    for (const c of [a, b]) {
      expect(c.got.map((e) => e.id)).toEqual(ids);
      expect(c.got.map((e) => [typeNameOf(e), e.data.n])).toEqual([
        ['one', 1],
        ['two', 2],
      ]);
    }
  });

  it('follows a stream subscribed while its reader waits on another at once, not after the wait', async () => {
    newHub();
    const first = collector();
    await hub.subscribe('{st:a}:audit', first).ready;
    // The reader is now blocked on {st:a} for up to 5 s; a new stream must wake it.
    const second = collector();
    await hub.subscribe('{ev:b}:audit', second).ready;
    const started = Date.now();
    await append('{ev:b}:audit', 'booking.created');
    await until(() => second.got.length === 1, 2_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(first.got).toEqual([]);
  });

  it('waits on a quiet stream without errors under a fail-fast command timeout shorter than its block', async () => {
    // As the server's client is: connected on first use, failing fast (no queue), and a
    // command unanswered for 300 ms is an error. The hub's reader is a copy of it.
    const strict = new Redis(redis.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: 300,
    });
    strictClients.push(strict);
    await strict.connect();
    hub = createStreamHub(strict, (error) => errors.push(error));
    const got = collector();
    await hub.subscribe('{st:q}:audit', got).ready;
    await new Promise((resume) => setTimeout(resume, 1_200));
    expect(errors).toEqual([]);
    const started = Date.now();
    await append('{st:q}:audit', 'hold.created');
    await until(() => got.got.length === 1, 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('resumes after a given id (Last-Event-ID) with nothing missed and nothing twice', async () => {
    newHub();
    const stream = '{st:r}:audit';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await append(stream, 'old', { i }));
    const resumed = collector();
    const subscription = hub.subscribe(stream, resumed, { after: ids[1] as string });
    ids.push(await append(stream, 'during', { i: 5 }));
    await subscription.ready;
    ids.push(await append(stream, 'after', { i: 6 }));
    await until(() => resumed.got.length === 5);
    expect(resumed.got.map((e) => e.id)).toEqual(ids.slice(2));
  });

  it('tells a resuming subscriber that the entries it missed were trimmed', async () => {
    newHub();
    const stream = '{st:t}:audit';
    const oldest = await append(stream, 'old');
    for (let i = 0; i < 20; i++) await append(stream, 'filler');
    await client.xtrim(stream, 'MAXLEN', 5);
    let gaps = 0;
    const got: AuditEntry[] = [];
    await hub.subscribe(stream, { onEntries: (e) => got.push(...e), onGap: () => gaps++ }, { after: oldest })
      .ready;
    expect(gaps).toBe(1);
    expect(got).toHaveLength(5);
  });

  it('stops delivering to a subscriber that left, and stops following a stream nobody reads', async () => {
    newHub();
    const stream = '{st:u}:audit';
    const leaving = collector();
    const staying = collector();
    const subscription = hub.subscribe(stream, leaving);
    await subscription.ready;
    await hub.subscribe(stream, staying).ready;
    subscription.unsubscribe();
    expect(hub.stats()).toEqual({ streams: 1, subscriptions: 1 });
    await append(stream, 'later');
    await until(() => staying.got.length === 1);
    expect(leaving.got).toEqual([]);
  });
});
