import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readArchiveLag } from '../../server/ledger/archiver.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let pg: TestPostgres;
let ledger: LedgerDb;
let server: TestServer;

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  ledger = pg.db();
  server = await startTestServer(redis, {}, { ledger, archiver: { blockMs: 100, refreshStreamsMs: 100 } });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
});
afterEach(async () => {
  // Nothing in flight when the next test empties Redis and the ledger: a batch still being
  // written would land after the truncate, as rows of a Redis that no longer exists.
  await waitUntil(
    () => readArchiveLag(server.deps),
    (lag) => lag.entries === 0,
    10_000,
  );
});
beforeEach(async () => {
  await redis.flush();
  await pg.truncate();
  await seedStore(server.url, 'aiea', [
    { sku: 'KIT', onHand: 10 },
    { sku: 'CASE', onHand: 5 },
  ]);
});

async function hold(sku: string, quantity: number): Promise<{ id: string; manageToken: string }> {
  const res = await call(server.url, 'POST', '/api/holds', {
    body: { storeId: 'aiea', sku, quantity, customer: customer(sku) },
    idempotencyKey: newKey('hold'),
  });
  expect(res.status).toBe(201);
  return res.body;
}

const reconcile = () => call(server.url, 'GET', '/api/admin/reconciliation', { token: TEST_ADMIN_TOKEN });

describe('GET /api/admin/reconciliation', () => {
  it('finds no drift when every change went through the scripts, archived or not yet', async () => {
    const first = await hold('KIT', 2);
    const cancelled = await call(server.url, 'DELETE', `/api/holds/${first.id}`, {
      idempotencyKey: newKey('cancel'),
      token: first.manageToken,
    });
    expect(cancelled.status).toBe(200);
    await hold('KIT', 3);
    await hold('CASE', 5);
    const res = await reconcile();
    expect(res.status).toBe(200);
    expect(res.body.drift).toEqual([]);
    expect(res.body.stores).toEqual([
      expect.objectContaining({ storeId: 'aiea', products: 2, entries: 5, historyComplete: true }),
    ]);
    expect(res.body.trigger).toBe('on_demand');
  });

  it('sees a change made behind the scripts’ back, and the entry after which the numbers disagree', async () => {
    await hold('KIT', 1);
    await waitUntil(
      () => readArchiveLag(server.deps),
      (lag) => lag.entries === 0,
    );
    const created = await ledger.pool.query<{ entry_id: string }>(
      `SELECT entry_id FROM ledger_entries WHERE type = 'hold.created' AND sku = 'KIT'`,
    );
    const firstHold = created.rows[0]?.entry_id;
    // Someone edits the stock hash by hand: 10 on hand becomes 13.
    await redis.client().hset(storeKeys('aiea').stock, 'KIT', `13 1 0 ${Date.now()}`);
    let res = await reconcile();
    expect(res.body.drift).toEqual([
      expect.objectContaining({
        storeId: 'aiea',
        sku: 'KIT',
        redis: { onHand: 13, held: 1, leased: 0 },
        ledger: { onHand: 10, held: 1, leased: 0 },
        disagreeAfter: expect.objectContaining({ entryId: firstHold, type: 'hold.created' }),
      }),
    ]);
    expect(res.body.drift[0].firstDisagreeing).toBeUndefined();
    // The sync-status page's health block names it too.
    const overview = await call(server.url, 'GET', '/api/admin/sync-overview', { token: TEST_ADMIN_TOKEN });
    expect(overview.body.health.reconciliation).toMatchObject({ products: 2, drifted: ['aiea/KIT'] });

    // The next hold is made from the edited numbers: its entry records them, and shows the break.
    await hold('KIT', 1);
    res = await reconcile();
    expect(res.body.drift).toHaveLength(1);
    expect(res.body.drift[0]).toMatchObject({
      redis: { onHand: 13, held: 2, leased: 0 },
      ledger: { onHand: 10, held: 2, leased: 0 },
      disagreeAfter: { entryId: firstHold },
      firstDisagreeing: { type: 'hold.created', recorded: { onHand: 13, held: 2, leased: 0 } },
    });
  });

  it('is for admins only', async () => {
    expect((await call(server.url, 'GET', '/api/admin/reconciliation')).status).toBe(401);
  });
});
