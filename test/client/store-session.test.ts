import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SocketParams } from '../../client/offline/store-connection.ts';
import { openStoreDoc, readStock } from '../../client/offline/store-doc.ts';
import { StoreSession } from '../../client/offline/store-session.ts';
import { manualTimers } from '../helpers/tablet-client.ts';
import { freshDb, stockOf, writeScarce } from './tablet-parts.ts';

async function session(params: SocketParams, browserOnline = true) {
  const db = freshDb('session');
  // What an earlier session left on disk.
  const before = await openStoreDoc(db, 'aiea');
  writeScarce(before.doc, { 'stock:KIT': stockOf('KIT', 4) });
  await expect.poll(() => db.docUpdates.count()).toBeGreaterThan(0);
  before.close();
  const states: string[] = [];
  let changes = 0;
  let asked = 0;
  const opened = await StoreSession.open(db, 'aiea', {
    baseUrl: 'http://127.0.0.1:9',
    socketParams: async () => {
      asked += 1;
      return params;
    },
    timers: manualTimers(),
    browserOnline: () => browserOnline,
    onState: (state) => states.push(state),
    onSynced: () => {},
    WebSocketPolyfill: WebSocket,
    onDocChange: () => {
      changes += 1;
    },
  });
  return { session: opened, states, changes: () => changes, asked: () => asked };
}

describe('the store session', () => {
  it('opens the store’s document from disk before any network, and reports each change', async () => {
    const { session: s, changes } = await session('unreachable', false);
    expect(readStock(s.doc).KIT?.available).toBe(4);
    writeScarce(s.doc, { 'stock:KIT': stockOf('KIT', 3) });
    expect(changes()).toBe(1);
    s.close();
  });

  it('asks no ticket without a network, keeps trying while the server is unreachable, and stops when removed', async () => {
    const offline = await session('unreachable', false);
    await offline.session.connect();
    expect(offline.states).toEqual([]);
    expect(offline.asked()).toBe(0);
    offline.session.close();

    const unreachable = await session('unreachable');
    await unreachable.session.connect();
    expect(unreachable.states).toEqual(['connecting']);
    expect(unreachable.asked()).toBe(1);
    unreachable.session.removed();
    expect(unreachable.states.at(-1)).toBe('removed');
    unreachable.session.close();

    const revoked = await session('revoked');
    await revoked.session.connect();
    expect(revoked.states).toEqual(['connecting', 'removed']);
    revoked.session.close();
  });
});
