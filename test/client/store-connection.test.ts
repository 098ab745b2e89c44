import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  type ConnectionState,
  type SocketParams,
  StoreConnection,
} from '../../client/offline/store-connection.ts';
import { createTimers } from '../../client/offline/timers.ts';
import { enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { upgradeStatus } from '../helpers/tablet-client.ts';

let redis: TestRedis;
let server: TestServer;
const open: StoreConnection[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 5 }]);
});
afterEach(() => {
  for (const c of open.splice(0)) c.stop();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

async function ticketFor(token: string): Promise<SocketParams> {
  const r = await call(server.url, 'POST', '/api/staff/aiea/sync-ticket', { token });
  if (r.status === 401) return 'revoked';
  return { ticket: r.body.ticket };
}

function connect(token: string, online = () => true) {
  const states: ConnectionState[] = [];
  const urls: string[] = [];
  const connection = new StoreConnection(new Y.Doc(), {
    baseUrl: server.url,
    storeId: 'aiea',
    socketParams: async () => {
      const params = await ticketFor(token);
      if (typeof params === 'object') urls.push(JSON.stringify(params));
      return params;
    },
    timers: createTimers(),
    browserOnline: online,
    onState: (s) => states.push(s),
    onSynced: () => {},
    WebSocketPolyfill: WebSocket,
  });
  open.push(connection);
  return { connection, states, urls };
}

describe('the store connection', () => {
  it('syncs with a one-time ticket, never the credential, in the URL (issue 8.12)', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const { connection, states, urls } = connect(tablet.token);
    await connection.open();
    await waitUntil(
      async () => connection.current,
      (s) => s === 'synced',
    );
    expect(states).toEqual(['connecting', 'loading', 'synced']);
    expect(urls.join()).not.toContain(tablet.token);
  });

  it('a ticket opens one socket, once', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const params = await ticketFor(tablet.token);
    if (typeof params !== 'object') throw new Error('no ticket');
    const url = `${server.url.replace('http', 'ws')}/sync/aiea?ticket=${params.ticket}`;
    expect(await upgradeStatus(url)).toBe(101);
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/sync/aiea?ticket=made-up`)).toBe(401);
  });

  it('says "removed" within seconds when an admin revokes the tablet, and stops trying (issue 8.4)', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const { connection, states } = connect(tablet.token);
    await connection.open();
    await waitUntil(
      async () => connection.current,
      (s) => s === 'synced',
    );
    await call(server.url, 'POST', `/api/admin/devices/${tablet.deviceId}/revoke`, {
      token: TEST_ADMIN_TOKEN,
    });
    await waitUntil(
      async () => connection.current,
      (s) => s === 'removed',
    );
    await connection.open();
    expect(states.at(-1)).toBe('removed');
  });

  it('says "removed" at start when the server refuses its ticket for a revoked tablet', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    await call(server.url, 'POST', `/api/admin/devices/${tablet.deviceId}/revoke`, {
      token: TEST_ADMIN_TOKEN,
    });
    const { connection, states } = connect(tablet.token);
    await connection.open();
    expect(states).toEqual(['connecting', 'removed']);
  });

  it('says "offline", not "connecting", when the browser has no network (issue 8.5)', async () => {
    const tablet = await enrollTablet(server.url, 'aiea');
    const { connection, states } = connect(tablet.token, () => false);
    await connection.open();
    expect(states).toEqual([]);
    expect(connection.current).toBe('offline');
  });
});
