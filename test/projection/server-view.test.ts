import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ServerView } from '../../server/projection/server-view.ts';
import { docKeys } from '../../server/sync/doc-store.ts';
import { SCARCE_ARRAY } from '../../shared/store-doc.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import {
  type Client,
  connectClient,
  createStore,
  depsOver,
  enrollTablet,
  readView,
  startSyncInstance,
  waitUntil,
} from '../sync/harness.ts';

const SERVER = Symbol('server');
const TABLET = { name: 'a tablet' };

/** A server's view and a tablet's copy of the same document, synced by hand. */
function pair() {
  const server = new Y.Doc();
  const view = new ServerView(server, SERVER, (origin) => origin === TABLET);
  const tablet = new Y.Doc();
  const toTablet = () => Y.applyUpdate(tablet, Y.encodeStateAsUpdate(server, Y.encodeStateVector(tablet)));
  const toServer = () =>
    Y.applyUpdate(server, Y.encodeStateAsUpdate(tablet, Y.encodeStateVector(server)), TABLET);
  return { server, view, tablet, toTablet, toServer };
}

describe('the server view', () => {
  it('keeps one entry per key, and writing the same value again changes nothing', () => {
    const { server, view } = pair();
    expect(view.write((w) => w.set('stock:KIT', { onHand: 5 }))).toBe(true);
    expect(view.write((w) => w.set('stock:KIT', { onHand: 5 }))).toBe(false);
    view.write((w) => {
      w.set('stock:KIT', { onHand: 4 });
      w.set('asOf', 1);
    });
    expect(server.getArray(SCARCE_ARRAY).length).toBe(2);
    expect(Object.fromEntries(readView(server))).toEqual({ 'stock:KIT': { onHand: 4 }, asOf: 1 });
    view.write((w) => w.delete('asOf'));
    expect(Object.fromEntries(readView(server))).toEqual({ 'stock:KIT': { onHand: 4 } });
  });

  it('undoes a tablet’s write without a new entry when the server’s entry is still there', () => {
    const { server, view, tablet, toTablet, toServer } = pair();
    view.write((w) => w.set('stock:KIT', { onHand: 5 }));
    toTablet();
    tablet.getArray(SCARCE_ARRAY).push([{ key: 'stock:KIT', val: { onHand: 999 } }, 'junk', null]);
    const clockBefore = Y.getState(server.store, server.clientID);
    toServer();
    expect(server.getArray(SCARCE_ARRAY).toJSON()).toEqual([{ key: 'stock:KIT', val: { onHand: 5 } }]);
    // Only deletions: no new item of the server's.
    expect(Y.getState(server.store, server.clientID)).toBe(clockBefore);
    toTablet();
    expect(Object.fromEntries(readView(tablet))).toEqual({ 'stock:KIT': { onHand: 5 } });
  });

  it('puts back an entry a tablet deleted', () => {
    const { server, view, tablet, toTablet, toServer } = pair();
    view.write((w) => w.set('stock:KIT', { onHand: 5 }));
    toTablet();
    tablet.getArray(SCARCE_ARRAY).delete(0, 1);
    toServer();
    expect(Object.fromEntries(readView(server))).toEqual({ 'stock:KIT': { onHand: 5 } });
  });
});

describe('the stored size of a store document', () => {
  let redis: TestRedis;
  /** One connection for the test's own reads and writes. */
  let db: Redis;
  beforeAll(async () => {
    redis = await startTestRedis();
    db = redis.client();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('stays bounded while the server rewrites 1,000 products’ numbers again and again', async () => {
    const deps = depsOver(db);
    await createStore(deps, 'size');
    const instance = await startSyncInstance(db, { compactAfterEntries: 10 });
    let client: Client | undefined;
    try {
      client = connectClient(instance.url, 'size', (await enrollTablet(deps, 'size')).credential);
      await client.synced;
      const skus = Array.from({ length: 1000 }, (_, i) => `SKU-${i}`);
      const rewrite = (round: number) =>
        instance.sync.writeServerView('size', (view) => {
          skus.forEach((sku, i) => {
            view.set(`stock:${sku}`, { onHand: (round * 7 + i) % 50, held: round % 3, updatedAt: round });
          });
        });
      /** Compacts (ten appends in a row), then reads the snapshot's size. */
      const compactedSize = async (round: number) => {
        for (let i = 0; i < 10; i++)
          await instance.sync.writeServerView('size', (v) => v.set('asOf', [round, i]));
        return waitUntil(
          async () => ({
            log: await db.llen(docKeys('size').log),
            bytes: await db.strlen(docKeys('size').snapshot),
          }),
          (stored) => stored.log < 10 && stored.bytes > 0,
        );
      };
      await rewrite(0);
      const baseline = await compactedSize(0);
      // A month of busy days, compressed: every product's numbers rewritten 60 times.
      for (let round = 1; round <= 60; round++) await rewrite(round);
      const after = await compactedSize(60);
      expect(after.bytes).toBeLessThan(baseline.bytes * 1.5);
      await waitUntil(
        () => JSON.stringify(readView(client?.doc ?? new Y.Doc()).get('stock:SKU-3')),
        (value) => value === JSON.stringify({ onHand: (60 * 7 + 3) % 50, held: 0, updatedAt: 60 }),
      );
    } finally {
      client?.close();
      await instance.close();
    }
  });
});
