import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkImport, compareWithCatalog, parseProductCsv } from '../../client/admin/pages/product-import.ts';
import { enrollTablet, HNL } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  const store = await call(server.url, 'PUT', '/api/admin/stores/aiea', {
    token: TEST_ADMIN_TOKEN,
    body: { id: 'aiea', name: 'Aiea', address: '1 Test St', phone: '808-555-0100', ...HNL },
  });
  expect(store.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

/** A products CSV of `n` rows; `bad` maps a row index to a broken line. */
function productCsv(n: number, bad: Record<number, string> = {}): string {
  const lines = ['SKU,Name,Category,Price label,On hand'];
  for (let i = 0; i < n; i++) lines.push(bad[i] ?? `P${i},"Product ${i}, blue",Cables,$${i}.00,${i % 13}`);
  return `${lines.join('\r\n')}\r\n`;
}

async function apply(storeId: string, csv: string) {
  const { rows, errors } = parseProductCsv(csv);
  expect(errors).toEqual([]);
  const answers = [];
  for (const chunk of await chunkImport(storeId, rows)) {
    answers.push(
      await call(server.url, 'POST', `/api/admin/stores/${storeId}/products`, {
        token: TEST_ADMIN_TOKEN,
        idempotencyKey: chunk.idempotencyKey,
        body: { products: chunk.rows },
      }),
    );
  }
  return answers;
}

const importEntries = async () =>
  (
    await call(server.url, 'GET', '/api/admin/audit?storeId=aiea&type=catalog.imported&limit=500', {
      token: TEST_ADMIN_TOKEN,
    })
  ).body.entries.length as number;

describe('product CSV import', () => {
  it('shows every bad row of a 1,000-row file before anything is written', () => {
    const parsed = parseProductCsv(
      productCsv(1000, {
        10: 'P10,,Cables,$1,4',
        500: 'P500,Thing,Cables,$1,four',
        998: 'P1,Duplicate,Cables,$1,1',
      }),
    );
    expect(parsed.total).toBe(1000);
    expect(parsed.rows).toHaveLength(997);
    expect(parsed.errors).toEqual([
      { line: 12, field: 'name', message: 'is empty' },
      { line: 502, field: 'onHand', message: "'four' is not a whole number" },
      { line: 1000, field: 'sku', message: 'P1 is already on line 3' },
    ]);
    expect(parsed.rows[0]).toEqual({
      sku: 'P0',
      name: 'Product 0, blue',
      category: 'Cables',
      priceLabel: '$0.00',
      onHand: 0,
    });
  });

  it('echoes each bad value it names', () => {
    const csv = [
      'sku,name,onHand',
      'A,Apple,ten',
      'B,Berry,-3',
      'C,Cherry,2000000',
      'has space,Date,1',
      'E,Elder,2.5',
    ];
    expect(parseProductCsv(csv.join('\n')).errors).toEqual([
      { line: 2, field: 'onHand', message: "'ten' is not a whole number" },
      { line: 3, field: 'onHand', message: '-3 is below zero' },
      { line: 4, field: 'onHand', message: '2,000,000 is more than 1,000,000' },
      { line: 5, field: 'sku', message: "'has space': letters, digits, dot, dash or underscore; at most 64" },
      { line: 6, field: 'onHand', message: "'2.5' is not a whole number" },
    ]);
  });

  it('tells which rows are new, which overwrite a count and which keep it', () => {
    const { rows } = parseProductCsv('sku,name,onHand\nKIT,Kit,8\nCASE,Case,5\nNEW,New,3\n');
    const known = new Map([
      ['KIT', { onHand: 10 }],
      ['CASE', { onHand: 5 }],
    ]);
    expect(Object.fromEntries(compareWithCatalog(rows, known))).toEqual({
      KIT: { kind: 'count', before: 10, after: 8 },
      CASE: { kind: 'same', count: 5 },
      NEW: { kind: 'new' },
    });
  });

  it('names a missing column', () => {
    expect(parseProductCsv('code,title\nA,B\n').errors).toEqual([
      { line: 1, field: 'sku', message: 'the header has no “sku” column' },
      { line: 1, field: 'name', message: 'the header has no “name” column' },
    ]);
  });

  it('imports a fixed file once: the same file again changes nothing', async () => {
    const csv = productCsv(1200);
    const first = await apply('aiea', csv);
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(first.reduce((sum, r) => sum + r.body.created, 0)).toBe(1200);
    const auditAfterFirst = await importEntries();
    expect(auditAfterFirst).toBe(3);

    // A sale after the import must survive importing the same file again.
    const tablet = await enrollTablet(server.url, 'aiea');
    const sold = await call(server.url, 'POST', '/api/staff/aiea/stock/P12/sell', {
      token: tablet.token,
      idempotencyKey: newKey('sell'),
      body: { quantity: 2 },
    });
    expect(sold.body.stock.onHand).toBe(10);

    const again = await apply('aiea', csv);
    expect(again.every((r) => r.body.replayed === true)).toBe(true);
    expect(first.some((r) => r.body.replayed)).toBe(false);
    expect(await importEntries()).toBe(auditAfterFirst);
    const products = await call(server.url, 'GET', '/api/admin/stores/aiea/products?q=P12&limit=5', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(products.body.products.find((p: { sku: string }) => p.sku === 'P12').onHand).toBe(10);
    expect(products.body.products.find((p: { sku: string }) => p.sku === 'P12').name).toBe(
      'Product 12, blue',
    );
  });

  it('keys chunks by content and store: another store or a changed row is a new import', async () => {
    const { rows } = parseProductCsv(productCsv(600));
    const here = await chunkImport('aiea', rows);
    const there = await chunkImport('kapolei', rows);
    expect(here).toHaveLength(2);
    expect(here[0]?.idempotencyKey).toMatch(/^import-[0-9a-f]{48}$/);
    expect(here[0]?.idempotencyKey).not.toBe(there[0]?.idempotencyKey);
    const changed = await chunkImport('aiea', [
      { ...rows[0], onHand: 99 } as (typeof rows)[0],
      ...rows.slice(1),
    ]);
    expect(changed[0]?.idempotencyKey).not.toBe(here[0]?.idempotencyKey);
    expect(changed[1]?.idempotencyKey).toBe(here[1]?.idempotencyKey);
  });
});
