/**
 * Issue 15 §8: a tablet's socket can stay open, its pings answered by the browser's network
 * stack, while the app behind it has stopped listening (Chromium's offline mode keeps the
 * close frame in; a page frozen in the background). The sync-status page said "In sync · Last
 * seen 0 s ago" meanwhile. The server now asks each tablet's app for its awareness every round
 * and drops a socket whose app answers nothing; the page's counts come from one source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';
import { connectDoc, type DocClient } from '../helpers/tablet-client.ts';

let redis: TestRedis;
let server: TestServer;
const docs: DocClient[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 10 }]);
});
afterAll(async () => {
  for (const d of docs) d.close();
  await server?.close();
  await redis?.stop();
});

interface Tablet {
  deviceId: string;
  connected: boolean;
  offlineSince?: number;
}
interface Overview {
  stores: { storeId: string; timeZone: string; verdict: string; tablets: Tablet[] }[];
  health: { instances: { instanceId: string; tablets: number }[] };
}
const overview = async (): Promise<Overview> =>
  (await call(server.url, 'GET', '/api/admin/sync-overview', { token: TEST_ADMIN_TOKEN })).body;
const tabletIn = (o: Overview, deviceId: string) =>
  o.stores.flatMap((s) => s.tablets).find((t) => t.deviceId === deviceId);
const thisInstance = (o: Overview) => o.health.instances.find((i) => i.instanceId === server.sync.instanceId);

describe('a tablet whose app fell silent', () => {
  it('is offline within 10 s though its pings are answered, while a live tablet beside it stays connected', async () => {
    const live = await enrollTablet(server.url, 'aiea', 'Live');
    const silent = await enrollTablet(server.url, 'aiea', 'Silent');
    const doc = connectDoc(server.url, 'aiea', live.token);
    docs.push(doc);
    await doc.synced;
    // A socket whose app says nothing after opening: `ws` answers pings by itself, as a
    // browser's network stack does for a page that is no longer listening.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/aiea`, {
      headers: { authorization: `Bearer ${silent.token}` },
    });
    let pongs = 0;
    ws.on('ping', () => {
      pongs += 1;
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await new Promise((resolve) => ws.once('open', resolve));
    const openedAt = Date.now();
    const both = await waitUntil(
      overview,
      (o) =>
        tabletIn(o, live.deviceId)?.connected === true && tabletIn(o, silent.deviceId)?.connected === true,
    );
    // One count for the page: the server's line says what the stores' rows say.
    expect(thisInstance(both)?.tablets).toBe(2);
    expect(both.stores[0]).toMatchObject({ storeId: 'aiea', timeZone: 'Pacific/Honolulu' });

    // Two liveness rounds of 3 s without a word (at most 6 s after it opened), then one read.
    const after = await waitUntil(overview, (o) => tabletIn(o, silent.deviceId)?.connected === false, 12_000);
    expect(Date.now() - openedAt).toBeLessThan(10_000);
    expect(pongs).toBeGreaterThan(0);
    await closed;
    expect(tabletIn(after, silent.deviceId)).toMatchObject({ verdict: 'offline' });
    expect(tabletIn(after, silent.deviceId)?.offlineSince).toBeGreaterThanOrEqual(openedAt);
    // The stock client answers every query: still connected, on its first socket.
    expect(tabletIn(after, live.deviceId)).toMatchObject({ connected: true, verdict: 'in_sync' });
    expect(thisInstance(after)?.tablets).toBe(1);
    const history = await call(server.url, 'GET', `/api/admin/sync/tablets/${live.deviceId}/history`, {
      token: TEST_ADMIN_TOKEN,
    });
    expect(history.body.events.map((e: { kind: string }) => e.kind)).toEqual(['connected']);
  }, 30_000);
});
