import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { docKeys } from '../../server/sync/doc-store.ts';
import { CLOSE, MESSAGE_SAVED } from '../../server/sync/protocol.ts';
import { PRODUCTS_MAP, SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import {
  ADMIN_TOKEN,
  type Client,
  connectClient,
  createStore,
  depsOver,
  enrollTablet,
  readView,
  revokeTablet,
  type SyncInstance,
  startSyncInstance,
  storedDoc,
  type Tablet,
  upgradeStatus,
  waitUntil,
} from './harness.ts';

let redis: TestRedis;
/** One connection for the test's own reads and writes. */
let db: Redis;
const instances: SyncInstance[] = [];
const clients: Client[] = [];
let tablet: Tablet;

const start = async (options: Parameters<typeof startSyncInstance>[1] = {}) => {
  const instance = await startSyncInstance(db, options);
  instances.push(instance);
  return instance;
};
const connect = (instance: SyncInstance, token = tablet.credential, options = {}, store = 'aiea') => {
  const client = connectClient(instance.url, store, token, options);
  clients.push(client);
  return client;
};
const products = (doc: Y.Doc) => doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
const setField = (doc: Y.Doc, sku: string, field: string, value: string) =>
  doc.transact(() => {
    let entry = products(doc).get(sku);
    if (!entry) {
      entry = new Y.Map<string>();
      products(doc).set(sku, entry);
    }
    entry.set(field, value);
  });
const field = (doc: Y.Doc, sku: string, name: string) => products(doc).get(sku)?.get(name);
const closeCode = (ws: WebSocket) =>
  new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

beforeAll(async () => {
  redis = await startTestRedis();
  db = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
  const deps = depsOver(db);
  await createStore(deps, 'aiea');
  await createStore(deps, 'kapolei');
  tablet = await enrollTablet(deps, 'aiea');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const instance of instances.splice(0)) await instance.close();
});

describe('sync endpoint /sync/:storeId', () => {
  it('syncs the tablets of a store with each other', async () => {
    const server = await start();
    const a = connect(server);
    await a.synced;
    setField(a.doc, 'KIT', 'shelf', 'A-12');
    const b = connect(server, (await enrollTablet(depsOver(db), 'aiea')).credential);
    await b.synced;
    expect(field(b.doc, 'KIT', 'shelf')).toBe('A-12');
    setField(b.doc, 'KIT', 'notes', 'fragile');
    await waitUntil(
      () => field(a.doc, 'KIT', 'notes'),
      (notes) => notes === 'fragile',
    );
  });

  it('refuses at the upgrade a tablet of another store, a revoked tablet, a bad or missing credential', async () => {
    const server = await start();
    const deps = depsOver(db);
    const ws = `${server.url.replace('http', 'ws')}/sync`;
    const other = await enrollTablet(deps, 'kapolei');
    const revoked = await enrollTablet(deps, 'aiea');
    await revokeTablet(deps, revoked);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect(await upgradeStatus(`${ws}/aiea`, bearer(other.credential))).toBe(403);
    expect(await upgradeStatus(`${ws}/aiea`, bearer(revoked.credential))).toBe(401);
    expect(await upgradeStatus(`${ws}/aiea`)).toBe(401);
    // A credential in the URL is refused, even a good one: proxy logs keep URLs.
    expect(await upgradeStatus(`${ws}/aiea?token=${tablet.credential}`)).toBe(401);
    const wrongSecret = `${tablet.credential.slice(0, -1)}${tablet.credential.endsWith('0') ? '1' : '0'}`;
    expect(await upgradeStatus(`${ws}/aiea`, bearer(wrongSecret))).toBe(401);
    expect(await upgradeStatus(`${ws}/nowhere`, bearer(ADMIN_TOKEN))).toBe(404);
    expect(server.sync.connectionCount()).toBe(0);
    // The same credential as a header, and the admin (read-only), are let in.
    expect(await upgradeStatus(`${ws}/aiea`, bearer(tablet.credential))).toBe(101);
    expect(await upgradeStatus(`${ws}/aiea`, bearer(ADMIN_TOKEN))).toBe(101);
  });

  it('closes the socket of a tablet revoked while connected, within seconds, with DEVICE_REVOKED', async () => {
    const server = await start();
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/aiea`, {
      headers: { authorization: `Bearer ${tablet.credential}` },
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = closeCode(ws);
    await revokeTablet(depsOver(db), tablet);
    const revokedAt = Date.now();
    expect(await closed).toBe(CLOSE.DEVICE_REVOKED);
    expect(Date.now() - revokedAt).toBeLessThan(5000);
  });

  it('serves a restarted server’s first sync from Redis: never an empty document first', async () => {
    const first = await start();
    const writer = connect(first);
    await writer.synced;
    setField(writer.doc, 'KIT', 'shelf', 'A-12');
    for (let i = 0; i < 30; i++) writer.doc.getText('journal').insert(0, `line ${i}\n`);
    await waitUntil(
      async () => field(await storedDoc(db, 'aiea'), 'KIT', 'shelf'),
      (shelf) => shelf === 'A-12',
    );
    writer.close();
    await first.close();

    const restarted = await start();
    const reader = connect(restarted);
    // Read at the moment of the first "synced", and at every update before it.
    const seenBeforeSynced: (string | undefined)[] = [];
    reader.doc.on('update', () => {
      if (!reader.provider.synced) seenBeforeSynced.push(field(reader.doc, 'KIT', 'shelf'));
    });
    await reader.synced;
    expect(field(reader.doc, 'KIT', 'shelf')).toBe('A-12');
    expect(reader.doc.getText('journal').toString()).toBe(writer.doc.getText('journal').toString());
    expect(seenBeforeSynced.every((shelf) => shelf === 'A-12')).toBe(true);
  });

  it('relays an edit through instance A to a tablet on instance B, and awareness too', async () => {
    const a = await start();
    const b = await start();
    const onA = connect(a);
    const onB = connect(b);
    await Promise.all([onA.synced, onB.synced]);
    setField(onA.doc, 'CASE', 'notes', 'fragile');
    await waitUntil(
      () => field(onB.doc, 'CASE', 'notes'),
      (notes) => notes === 'fragile',
    );
    onA.provider.awareness.setLocalStateField('user', 'Kai at register 2');
    await waitUntil(
      () => onB.provider.awareness.getStates().get(onA.doc.clientID)?.user,
      (user) => user === 'Kai at register 2',
    );
  });

  it('holds "synced" until the tablet’s offline edits are stored in Redis', async () => {
    const server = await start();
    const doc = new Y.Doc();
    for (let i = 0; i < 1000; i++) setField(doc, `SKU-${i % 50}`, 'shelf', `S-${i}`);
    // Redis takes writes slowly for a while, so "synced" sent any earlier would be seen.
    await db.call('CLIENT', 'PAUSE', '300', 'WRITE');
    const tablet1 = connect(server, tablet.credential, { doc });
    await tablet1.synced;
    // Read Redis at once: the stock client's "synced" is the acknowledgement.
    expect(field(await storedDoc(db, 'aiea'), 'SKU-49', 'shelf')).toBe('S-999');
  });

  it('acknowledges each update once stored to a client that asks (?saved=1), and never the stock client', async () => {
    const server = await start();
    const errors = vi.spyOn(console, 'error');
    const plain = connect(server);
    const asking = connect(server, tablet.credential, { params: { saved: '1' } });
    const acks: { count: number; stored: Promise<string | undefined> }[] = [];
    (asking.provider as unknown as { messageHandlers: unknown[] }).messageHandlers[MESSAGE_SAVED] = (
      _encoder: unknown,
      decoder: decoding.Decoder,
    ) => {
      // What Redis holds at the moment the acknowledgement arrives.
      const stored = storedDoc(db, 'aiea').then((doc) => field(doc, 'KIT', 'notes'));
      acks.push({ count: decoding.readVarUint(decoder), stored });
    };
    await Promise.all([plain.synced, asking.synced]);
    const before = acks.length;
    // Redis takes writes slowly for a while, so an acknowledgement sent any earlier would be seen.
    await db.call('CLIENT', 'PAUSE', '300', 'WRITE');
    setField(asking.doc, 'KIT', 'notes', 'one');
    await waitUntil(
      () => acks.length,
      (n) => n > before,
    );
    expect(await acks[before]?.stored).toBe('one');
    setField(asking.doc, 'KIT', 'notes', 'two');
    await waitUntil(
      () => acks.length,
      (n) => n > before + 1,
    );
    expect(await acks[before + 1]?.stored).toBe('two');
    const counts = acks.map((a) => a.count);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    setField(plain.doc, 'KIT', 'shelf', 'B-1');
    await waitUntil(
      () => field(asking.doc, 'KIT', 'shelf'),
      (shelf) => shelf === 'B-1',
    );
    expect(errors).not.toHaveBeenCalledWith('Unable to compute message');
    errors.mockRestore();
  });

  it('lets an admin read the document but not change it', async () => {
    const server = await start();
    const staff = connect(server);
    const admin = connect(server, ADMIN_TOKEN);
    await Promise.all([staff.synced, admin.synced]);
    setField(admin.doc, 'KIT', 'name', 'Renamed by admin');
    setField(staff.doc, 'CASE', 'name', 'Case, black');
    await waitUntil(
      () => field(admin.doc, 'CASE', 'name'),
      (name) => name === 'Case, black',
    );
    await server.sync.documentOf('aiea')?.flushed();
    expect(field(staff.doc, 'KIT', 'name')).toBeUndefined();
    expect(field(await storedDoc(db, 'aiea'), 'KIT', 'name')).toBeUndefined();
  });
});

describe('the server-owned view (scarce)', () => {
  it('reaches tablets on every instance when the server writes it', async () => {
    const a = await start();
    const b = await start();
    const onA = connect(a);
    const onB = connect(b);
    await Promise.all([onA.synced, onB.synced]);
    expect(await a.sync.writeServerView('aiea', (view) => view.set('stock:KIT', { onHand: 5 }))).toBe(true);
    for (const client of [onA, onB])
      await waitUntil(
        () => readView(client.doc).get('stock:KIT'),
        (v) => JSON.stringify(v) === '{"onHand":5}',
      );
    expect(await a.sync.writeServerView('kapolei', (view) => view.set('x', 1))).toBe(false);
  });

  it('puts back what a tablet writes there: a new value, a deleted entry, an entry that is not one', async () => {
    const a = await start();
    const b = await start();
    const forger = connect(a);
    const onA = connect(a);
    const onB = connect(b);
    await Promise.all([forger.synced, onA.synced, onB.synced]);
    await a.sync.writeServerView('aiea', (view) => {
      view.set('stock:KIT', { onHand: 5 });
      view.set('stock:CASE', { onHand: 2 });
    });
    await waitUntil(
      () => readView(forger.doc).size,
      (size) => size === 2,
    );
    const list = forger.doc.getArray<unknown>(SCARCE_ARRAY);
    forger.doc.transact(() => {
      list.push([
        { key: 'stock:KIT', val: { onHand: 999 } },
        { key: 'stock:FREE', val: { onHand: 1 } },
        null,
        7,
      ]);
      list.delete(
        list.toArray().findIndex((e) => (e as ScarceEntry | null)?.key === 'stock:CASE'),
        1,
      );
    });
    const expected = JSON.stringify([
      ['stock:CASE', { onHand: 2 }],
      ['stock:KIT', { onHand: 5 }],
    ]);
    const viewOf = (doc: Y.Doc) => JSON.stringify([...readView(doc)].sort(([x], [y]) => x.localeCompare(y)));
    for (const client of [forger, onA, onB])
      await waitUntil(
        () => client.doc.getArray<unknown>(SCARCE_ARRAY).length === 2 && viewOf(client.doc),
        (view) => view === expected,
      );
    await a.sync.documentOf('aiea')?.flushed();
    expect(viewOf(await storedDoc(db, 'aiea'))).toBe(expected);
  });
});

describe('durability and instances', () => {
  it('neither relays nor acknowledges an update Redis refuses; it arrives once the tablet reconnects', async () => {
    const server = await start();
    const writer = connect(server);
    const reader = connect(server, (await enrollTablet(depsOver(db), 'aiea')).credential);
    await Promise.all([writer.synced, reader.synced]);
    const admin = db;
    await admin.config('SET', 'maxmemory', '1');
    const closed = new Promise<number>((resolve) =>
      writer.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)),
    );
    setField(writer.doc, 'KIT', 'notes', 'written while Redis refuses');
    expect(await closed).toBe(CLOSE.TRY_AGAIN_LATER);
    expect(field(reader.doc, 'KIT', 'notes')).toBeUndefined();
    await admin.config('SET', 'maxmemory', '0');
    await waitUntil(
      () => field(reader.doc, 'KIT', 'notes'),
      (notes) => notes === 'written while Redis refuses',
    );
    expect(field(await storedDoc(db, 'aiea'), 'KIT', 'notes')).toBe('written while Redis refuses');
  });

  it('reloads from Redis an update whose pub/sub message this instance missed', async () => {
    const a = await start();
    const b = await start();
    const onA = connect(a);
    const onB = connect(b);
    await Promise.all([onA.synced, onB.synced]);
    // Appended as another instance would, but its message is lost on the way.
    const lost = new Y.Doc();
    setField(lost, 'LOST', 'name', 'appended without a message');
    const keys = docKeys('aiea');
    await redis
      .client()
      .multi()
      .rpush(keys.log, Buffer.from(Y.encodeStateAsUpdate(lost)))
      .incr(keys.seq)
      .exec();
    setField(onA.doc, 'KIT', 'notes', 'the next one');
    await waitUntil(
      () => field(onB.doc, 'LOST', 'name'),
      (name) => name === 'appended without a message',
      5000,
    );
  });

  it('stores the edits a tablet sent just before it left, even those waiting behind a slow append', async () => {
    const server = await start();
    const leaving = connect(server);
    await leaving.synced;
    // Redis holds writes for a while: the first edit's append waits, the second edit waits behind it.
    await db.call('CLIENT', 'PAUSE', '300', 'WRITE');
    setField(leaving.doc, 'KIT', 'notes', 'first');
    const live = server.sync.documentOf('aiea');
    await waitUntil(
      () => live && field(live.doc, 'KIT', 'notes'),
      (notes) => notes === 'first',
    );
    setField(leaving.doc, 'KIT', 'shelf', 'sent on the way out');
    leaving.close();
    await waitUntil(
      async () => field(await storedDoc(db, 'aiea'), 'KIT', 'shelf'),
      (shelf) => shelf === 'sent on the way out',
    );
  });

  it('keeps the stored document short by compacting while tablets edit', async () => {
    const server = await start({ compactAfterEntries: 20 });
    const a = connect(server);
    await a.synced;
    for (let i = 0; i < 200; i++) {
      setField(a.doc, `SKU-${i % 7}`, 'shelf', `S-${i}`);
      if (i % 10 === 0)
        await waitUntil(
          () =>
            server.sync
              .documentOf('aiea')
              ?.flushed()
              .then(() => true),
          Boolean,
        );
    }
    await waitUntil(
      async () => field(await storedDoc(db, 'aiea'), 'SKU-3', 'shelf'),
      (shelf) => shelf === 'S-199',
    );
    expect(await db.llen(docKeys('aiea').log)).toBeLessThanOrEqual(25);
    const fresh = connect(await start());
    await fresh.synced;
    expect(products(fresh.doc).toJSON()).toEqual(products(a.doc).toJSON());
  });
});
