import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InstanceRelay, type RelayMessage } from '../../server/sync/instance-relay.ts';
import { waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

/** A client as the server runs one: connected once at start, then failing fast (no queue). */
async function failingFastClient(): Promise<Redis> {
  const client = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false });
  clients.push(client);
  await client.connect();
  return client;
}

it('subscribes on its own connection at once, even when the server’s client fails fast, and relays between instances', async () => {
  const got: RelayMessage[] = [];
  const a = new InstanceRelay(
    await failingFastClient(),
    'instance-a',
    (_store, m) => void got.push(m),
    () => {},
  );
  const b = new InstanceRelay(
    await failingFastClient(),
    'instance-b',
    () => {},
    () => {},
  );
  try {
    // The relay's subscriber connects on first use: its first SUBSCRIBE waits for it.
    await a.subscribe('aiea');
    await b.publishAwareness('aiea', new Uint8Array([1, 2, 3]));
    await waitUntil(
      async () => got.length,
      (n) => n === 1,
    );
    expect(got[0]).toMatchObject({ kind: 'awareness', instanceId: 'instance-b' });
    expect([...(got[0]?.payload ?? [])]).toEqual([1, 2, 3]);
  } finally {
    a.close();
    b.close();
  }
});
