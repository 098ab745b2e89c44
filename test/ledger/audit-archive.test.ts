import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAuditStream } from '../../server/audit/streams.ts';
import { readArchiveLag } from '../../server/ledger/archiver.ts';
import { customer, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

/** Issue 17 §3: the admin's audit log reads Redis and the archive as one list, back to the first entry. */
let redis: TestRedis;
let pg: TestPostgres;
let server: TestServer;
const HOLDS = 20;

beforeAll(async () => {
  // One after the other: each takes a free port just before binding it, and two racing could pick the same.
  redis = await startTestRedis();
  pg = await startTestPostgres();
  server = await startTestServer(
    redis,
    { auditKeepInRedis: 5 },
    { ledger: pg.db(), archiver: { blockMs: 100, refreshStreamsMs: 100 } },
  );
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 100 }]);
  for (let i = 0; i < HOLDS; i++) {
    const res = await call(server.url, 'POST', '/api/holds', {
      body: { storeId: 'aiea', sku: 'KIT', quantity: 1, customer: customer(i) },
      idempotencyKey: newKey('hold'),
    });
    expect(res.status).toBe(201);
  }
  await waitUntil(
    () => readArchiveLag(server.deps),
    (lag) => lag.entries === 0,
  );
  // Redis keeps only the newest few: the rest is only in the ledger.
  await waitUntil(
    () => redis.client().xlen(storeAuditStream('aiea')),
    (n) => n <= 6,
  );
});
afterAll(async () => {
  await server?.close();
  await Promise.all([redis?.stop(), pg?.stop()]);
});

const page = (query: string) =>
  call(server.url, 'GET', `/api/admin/audit?storeId=aiea&${query}`, { token: TEST_ADMIN_TOKEN });

describe('the admin audit log over Redis and the ledger', () => {
  it('lists every entry, newest first, once, back to the first', async () => {
    const res = await page('limit=100');
    expect(res.status).toBe(200);
    const ids: string[] = res.body.entries.map((e: { id: string }) => e.id);
    expect(ids).toHaveLength(HOLDS + 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(res.body.entries.at(-1).type).toBe('catalog.imported');
    expect(res.body.entries.filter((e: { type: string }) => e.type === 'hold.created')).toHaveLength(HOLDS);
  });

  it('pages across the edge of what Redis keeps with the same cursor, and filters archived entries alike', async () => {
    const all = (await page('limit=100')).body.entries.map((e: { id: string }) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await page(`limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...res.body.entries.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(paged).toEqual(all);
    const imports = await page('type=catalog&limit=100');
    expect(imports.body.entries.map((e: { type: string }) => e.type)).toEqual(['catalog.imported']);
  });
});
