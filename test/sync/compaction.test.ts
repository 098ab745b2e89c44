import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Compaction, snapshotOf } from '../../server/sync/compaction.ts';
import { appendUpdate, claimCompaction, docKeys, loadStoredDoc } from '../../server/sync/doc-store.ts';
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

const compactionOf = (onError: (error: unknown) => void = (e) => expect.fail(String(e))) =>
  new Compaction({
    redis: redis.client(),
    storeId: 'aiea',
    compactAfterEntries: 10,
    compactAfterBytes: 1_000,
    onError,
  });

describe('compaction of a store document', () => {
  it('is due at the entry limit, or past the larger of the byte limit and the snapshot', () => {
    const compaction = compactionOf();
    expect(compaction.isDue({ seq: 1, logLength: 9, logBytes: 999, snapshotBytes: 0 })).toBe(false);
    expect(compaction.isDue({ seq: 1, logLength: 10, logBytes: 0, snapshotBytes: 0 })).toBe(true);
    expect(compaction.isDue({ seq: 1, logLength: 2, logBytes: 1_000, snapshotBytes: 0 })).toBe(true);
    expect(compaction.isDue({ seq: 1, logLength: 2, logBytes: 1_500, snapshotBytes: 2_000 })).toBe(false);
  });

  it('folds the log into a snapshot of the copy, which keeps the content', async () => {
    const client = redis.client();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    for (const update of updates) await appendUpdate(client, 'aiea', update, 'instance-a');
    await compactionOf().run(doc, () => 5);
    expect(await client.llen(docKeys('aiea').log)).toBe(0);
    const loaded = new Y.Doc();
    for (const update of (await loadStoredDoc(client, 'aiea')).updates) Y.applyUpdate(loaded, update);
    expect(loaded.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    expect(await client.exists(docKeys('aiea').compactLock)).toBe(0);
  });

  it('leaves the log alone while another instance compacts', async () => {
    const client = redis.client();
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => void appendUpdate(client, 'aiea', update, 'instance-a'));
    doc.getMap('m').set('k', 1);
    await client.get(docKeys('aiea').seq);
    expect(await claimCompaction(client, 'aiea', 30_000)).toBe(true);
    await compactionOf().run(doc, () => 1);
    expect(await client.llen(docKeys('aiea').log)).toBe(1);
  });

  it('keeps updates whose dependencies have not arrived in the snapshot', () => {
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getMap('m').set('a', 1);
    writer.getMap('m').set('b', 2);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, updates[1] as Uint8Array);
    expect(copy.getMap('m').size).toBe(0);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, snapshotOf(copy));
    Y.applyUpdate(restored, updates[0] as Uint8Array);
    expect(restored.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });
});
