import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendUpdate, compactStoredDoc, docKeys, loadStoredDoc } from '../../server/sync/doc-store.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
});

/** Five updates from one writer, each setting one more key. */
function fiveUpdates(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 1; i <= 5; i++) doc.getMap('m').set(`k${i}`, i);
  return { doc, updates };
}

const contentOf = (updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
};

describe('a store document in Redis', () => {
  it('numbers appends and loads snapshot, log and number together', async () => {
    const client = redis.client();
    const { doc, updates } = fiveUpdates();
    const seqs = [];
    for (const update of updates) seqs.push((await appendUpdate(client, 'aiea', update, 'instance-a')).seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    const stored = await loadStoredDoc(client, 'aiea');
    expect(stored.seq).toBe(5);
    expect(contentOf(stored.updates)).toEqual(doc.getMap('m').toJSON());
  });

  it('folds only what the snapshot holds, keeping appends made after it was taken', async () => {
    const client = redis.client();
    const { doc, updates } = fiveUpdates();
    const upToThree = new Y.Doc();
    for (const update of updates.slice(0, 3)) {
      await appendUpdate(client, 'aiea', update, 'instance-a');
      Y.applyUpdate(upToThree, update);
    }
    const snapshot = Y.encodeStateAsUpdate(upToThree);
    // Two more appends land between taking the snapshot and compacting.
    for (const update of updates.slice(3)) await appendUpdate(client, 'aiea', update, 'instance-b');
    expect(await compactStoredDoc(client, 'aiea', 3, snapshot)).toBe(3);
    expect(await client.llen(docKeys('aiea').log)).toBe(2);
    const stored = await loadStoredDoc(client, 'aiea');
    expect(stored.seq).toBe(5);
    expect(contentOf(stored.updates)).toEqual(doc.getMap('m').toJSON());
    // A compaction that lost the race (its snapshot is older than the stored one) writes nothing.
    expect(await compactStoredDoc(client, 'aiea', 2, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(0);
    expect(contentOf((await loadStoredDoc(client, 'aiea')).updates)).toEqual(doc.getMap('m').toJSON());
  });

  it('loads a log written before appends were numbered', async () => {
    const client = redis.client();
    const { doc, updates } = fiveUpdates();
    for (const update of updates.slice(0, 2)) await client.rpush(docKeys('aiea').log, Buffer.from(update));
    for (const update of updates.slice(2)) await appendUpdate(client, 'aiea', update, 'instance-a');
    const stored = await loadStoredDoc(client, 'aiea');
    expect(stored.seq).toBe(5);
    expect(await compactStoredDoc(client, 'aiea', 5, Y.encodeStateAsUpdate(doc))).toBe(5);
    expect(contentOf((await loadStoredDoc(client, 'aiea')).updates)).toEqual(doc.getMap('m').toJSON());
  });
});
