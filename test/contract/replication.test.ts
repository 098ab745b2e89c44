/**
 * REDIS_WAIT_REPLICAS=1: a change is acknowledged only once a replica has it (Redis WAIT).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKeys } from '../../server/stock/keys.ts';
import { customer, seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestCluster, type TestCluster } from '../helpers/redis-cluster.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

const holdBody = (n: string) => ({ storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(n) });

describe('acknowledging a change only once a replica has it', () => {
  let cluster: TestCluster;
  let server: TestServer;
  beforeAll(async () => {
    cluster = await startTestCluster();
    server = await startTestServer(cluster, { redisWaitReplicas: 1 });
    await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  it('answers 201 once the replica of the store’s primary holds the new hold', async () => {
    const hold = await call(server.url, 'POST', '/api/holds', {
      idempotencyKey: newKey(),
      body: holdBody('r1'),
    });
    expect(hold.status).toBe(201);
    const key = storeKeys('aiea').hold(hold.body.id);
    const primary = await cluster.primaryOf(key);
    // The primary's replica, read directly (READONLY): it has the hold already.
    const probes = await Promise.all(
      cluster.nodes.map(async (node) => {
        const direct = new Redis({ port: node.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
        try {
          const [role] = (await direct.role()) as [string];
          if (role !== 'slave') return false;
          const info = String(await direct.info('replication'));
          if (!info.includes(`master_port:${primary.port}`)) return false;
          await direct.call('READONLY');
          return (await direct.exists(key)) === 1;
        } catch {
          return false;
        } finally {
          direct.disconnect();
        }
      }),
    );
    expect(probes.filter(Boolean)).toHaveLength(1);
  });
});

describe('with no replica to confirm', () => {
  let redis: TestRedis;
  let server: TestServer;
  beforeAll(async () => {
    redis = await startTestRedis();
    const seeding = await startTestServer(redis);
    await seedStore(seeding.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
    await seeding.close();
    server = await startTestServer(redis, { redisWaitReplicas: 1 });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('says the change is saved but unconfirmed (503, Retry-After), and a retry with the same key returns it', async () => {
    const key = newKey('unconfirmed');
    const first = await call(server.url, 'POST', '/api/holds', { idempotencyKey: key, body: holdBody('u1') });
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('REPLICATION_UNCONFIRMED');
    expect(first.headers.get('retry-after')).toBe('1');
    const product = (
      await call(server.url, 'GET', '/api/admin/stores/aiea/products', { token: TEST_ADMIN_TOKEN })
    ).body.products[0];
    // Made on the primary, as the answer says: not lost, and not made twice by the retry.
    expect(product).toMatchObject({ held: 1 });
    const retry = await call(server.url, 'POST', '/api/holds', { idempotencyKey: key, body: holdBody('u1') });
    expect(retry.status).toBe(503);
    expect(
      (await call(server.url, 'GET', '/api/admin/stores/aiea/products', { token: TEST_ADMIN_TOKEN })).body
        .products[0],
    ).toMatchObject({
      held: 1,
    });
  });
});
