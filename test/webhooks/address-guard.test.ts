import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, refusedAddressOf } from '../../server/webhooks/address-guard.ts';
import { postWebhook } from '../../server/webhooks/deliver.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { startReceiver, type TestReceiver } from './receiver.ts';

describe('which addresses a webhook may go to', () => {
  it('refuses loopback, private, link-local, metadata and unspecified addresses, v4 and v6', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.9',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('checks a name after DNS resolution', async () => {
    expect(await refusedAddressOf('localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(await refusedAddressOf('[::1]')).toBe('::1');
  });
});

describe('private addresses by default (WEBHOOK_ALLOW_PRIVATE_ADDRESSES unset)', () => {
  let redis: TestRedis;
  let pg: TestPostgres;
  let server: TestServer;
  let receiver: TestReceiver;
  beforeAll(async () => {
    redis = await startTestRedis();
    pg = await startTestPostgres();
    receiver = await startReceiver();
    server = await startTestServer(
      redis,
      { webhookRetryScheduleMs: [0] },
      {
        ledger: pg.db(),
        webhooks: { dispatcher: { blockMs: 100, refreshStreamsMs: 100 }, worker: { pollMs: 25 } },
      },
    );
    await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.stop();
    await Promise.all([redis?.stop(), pg?.stop()]);
  });

  it('refuses to register an endpoint on loopback, by address or by name, and stores nothing', async () => {
    const port = new URL(receiver.url).port;
    for (const url of [
      receiver.url,
      `http://localhost:${port}/x`,
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const res = await call(server.url, 'POST', '/api/admin/webhooks', {
        token: TEST_ADMIN_TOKEN,
        body: { url, events: ['*'] },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('WEBHOOK_ADDRESS_REFUSED');
    }
    const list = await call(server.url, 'GET', '/api/admin/webhooks', { token: TEST_ADMIN_TOKEN });
    expect(list.body.webhooks).toEqual([]);
  });

  it('refuses at delivery a name that resolves to loopback, before connecting', async () => {
    const port = new URL(receiver.url).port;
    const result = await postWebhook(`http://localhost:${port}/x`, {}, '{}', {
      allowPrivate: false,
      now: () => Date.now(),
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/address refused/);
    expect(receiver.received).toHaveLength(0);
    const allowed = await postWebhook(`http://localhost:${port}/x`, {}, '{}', {
      allowPrivate: true,
      now: () => Date.now(),
    });
    expect(allowed.status).toBe(200);
  });

  it('checks again at every delivery: an endpoint stored earlier on loopback gets nothing', async () => {
    // As if registered while allowed, or while its name still resolved elsewhere.
    await pg.db().pool.query(
      `INSERT INTO webhook_endpoints (id, url, events, secret, created_at, updated_at)
         VALUES ('wh_storedearlier', $1, '{hold.*}', 'whsec_AAAA', now() - interval '1 minute', now())`,
      [`${receiver.url}/late`],
    );
    const hold = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(1) },
      idempotencyKey: newKey('hold'),
    });
    expect(hold.status).toBe(201);
    const [delivery] = await waitUntil(
      async () =>
        (
          await call(server.url, 'GET', '/api/admin/webhooks/wh_storedearlier/deliveries', {
            token: TEST_ADMIN_TOKEN,
          })
        ).body.deliveries,
      (list) => list.length === 1 && list[0].status === 'failed',
    );
    expect(delivery.attemptLog[0]).toMatchObject({
      status: null,
      error: expect.stringMatching(/address refused/),
    });
    expect(receiver.received.filter((r) => r.path === '/late')).toHaveLength(0);
  });
});
