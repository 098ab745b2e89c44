import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readScarce } from '../../client/offline/store-doc.ts';
import { COMPACT_AFTER_ENTRIES, compactDoc, docKeys, loadDocUpdates } from '../../server/sync/doc-store.ts';
import { StoreDocument } from '../../server/sync/store-document.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

async function storedBytes(storeId: string): Promise<number> {
  return (await loadDocUpdates(redis.client(), storeId)).reduce((sum, u) => sum + u.length, 0);
}

describe('store document size', () => {
  it('stays bounded while the server rewrites stock numbers again and again', async () => {
    const client = redis.client();
    const doc = new StoreDocument('size', client, 'test-instance-01', (error) => {
      throw error;
    });
    await doc.ready;
    const products = new Map(
      Array.from({ length: 1000 }, (_, i) => [`SKU-${i}`, { name: `Product ${i}`, category: 'c' }]),
    );
    doc.addMissingProducts(products);
    const stock = (round: number) =>
      new Map(
        [...products.keys()].map((sku, i) => [
          `stock:${sku}`,
          { sku, onHand: (round * 7 + i) % 50, held: round % 3, updatedAt: round },
        ]),
      );
    doc.writeScarce(stock(0));
    await doc.flushed();
    await client.del(docKeys('size').compactLock);
    // Fill the log past the threshold with small edits, then compact for a baseline.
    for (let i = 0; i < COMPACT_AFTER_ENTRIES; i++) doc.writeScarce(new Map([['asOf', i]]));
    await doc.flushed();
    await compactDoc(client, 'size');
    const baseline = await storedBytes('size');

    // A month of busy days, compressed: every product's numbers rewritten 30 times.
    for (let round = 1; round <= 30; round++) doc.writeScarce(stock(round));
    for (let i = 0; i < COMPACT_AFTER_ENTRIES; i++) doc.writeScarce(new Map([['asOf', 1000 + i]]));
    await doc.flushed();
    const beforeCompaction = await storedBytes('size');
    expect(await compactDoc(client, 'size')).toBe(true);
    const after = await storedBytes('size');

    expect(beforeCompaction).toBeGreaterThan(baseline * 5);
    expect(after).toBeLessThan(baseline * 1.2);
    const reloaded = new Y.Doc();
    for (const update of await loadDocUpdates(client, 'size')) Y.applyUpdate(reloaded, update);
    expect(readScarce(reloaded, 'stock:SKU-3')).toEqual(stock(30).get('stock:SKU-3'));
    expect(reloaded.getMap('products').size).toBe(1000);
    doc.destroy();
  });
});
