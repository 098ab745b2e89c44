/**
 * The admin's sync-status page under a chain's load (issue 7): 300 tablets in 30 stores, each
 * with a report and a socket's presence; `GET /api/admin/sync-overview` timed over 200 calls.
 * Then the time from a tablet vanishing (its socket stops answering) to the page's data
 * showing it offline.
 */
import type { Socket } from 'node:net';
import { adminKeys } from '../../server/admin/keys.ts';
import { authKeys } from '../../server/auth/keys.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { call, newKey, startTestServer, TEST_ADMIN_TOKEN } from '../helpers/server.ts';
import { connectDoc } from '../helpers/tablet-client.ts';
import { runWhenMain } from './standalone.ts';

const STORES = 30;
const TABLETS_PER_STORE = 10;
const CALLS = 200;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export interface SyncStatusResult {
  tablets: number;
  stores: number;
  p50Ms: number;
  p99Ms: number;
  msUntilOfflineShown: number;
}

export async function runSyncStatusBench(): Promise<SyncStatusResult> {
  const redis = await startTestRedis();
  const server = await startTestServer(redis);
  const admin = { token: TEST_ADMIN_TOKEN };
  const db = redis.client();
  try {
    let first: { token: string } | undefined;
    for (let s = 0; s < STORES; s++) {
      const storeId = `store-${s}`;
      await call(server.url, 'PUT', `/api/admin/stores/${storeId}`, {
        ...admin,
        body: {
          id: storeId,
          name: `Store ${s}`,
          address: `${s} Main St`,
          phone: '808-555-0100',
          timeZone: 'Pacific/Honolulu',
          latitude: 21.3,
          longitude: -157.8,
        },
      });
      await call(server.url, 'POST', `/api/admin/stores/${storeId}/products`, {
        ...admin,
        idempotencyKey: newKey('import'),
        body: { products: [{ sku: 'KIT', name: 'Kit', onHand: 50 }] },
      });
      for (let t = 0; t < TABLETS_PER_STORE; t++) {
        const code = await call(server.url, 'POST', `/api/admin/stores/${storeId}/enrollments`, admin);
        const enrolled = await call(server.url, 'POST', '/api/enroll', {
          body: { code: code.body.code, deviceName: `T${t}` },
        });
        const deviceId = enrolled.body.deviceId as string;
        first ??= { token: enrolled.body.credential };
        const now = Date.now();
        await db.hset(authKeys.deviceStatus(deviceId), {
          appVersion: '0.1.0',
          pending: t % 3,
          failed: t === 0 ? 1 : 0,
          oldestPendingAgeMs: 1_000,
          lastSyncedAt: now,
          reportedAt: now,
          failedActions: JSON.stringify(
            t === 0
              ? [
                  {
                    label: 'Sell 9 × KIT',
                    code: 'SOLD_OUT',
                    message: 'Only 3 left.',
                    createdAt: now,
                    refusedAt: now,
                  },
                ]
              : [],
          ),
        });
        await db.hset(adminKeys.presence(deviceId), {
          instanceId: 'bench',
          storeId,
          connectionId: `c-${deviceId}`,
          connectedSince: now,
          lastSeen: now,
          connected: t % 2,
        });
      }
    }
    const durations: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      const res = await call(server.url, 'GET', '/api/admin/sync-overview', admin);
      durations.push(performance.now() - started);
      if (res.status !== 200 || res.body.stores.length !== STORES) throw new Error(`overview: ${res.status}`);
    }
    const sorted = durations.sort((a, b) => a - b);

    // A real tablet (store-0's first) connects, then vanishes.
    const doc = connectDoc(server.url, 'store-0', first?.token ?? '');
    await doc.synced;
    const shown = async (connected: boolean) => {
      for (;;) {
        const body = (await call(server.url, 'GET', '/api/admin/sync-overview', admin)).body;
        const tablet = body.stores[0].tablets.find((t: { name: string }) => t.name === 'T0');
        if (tablet?.connected === connected) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await shown(true);
    (doc.provider.ws as unknown as { _socket: Socket })._socket.pause();
    doc.provider.shouldConnect = false;
    const vanished = Date.now();
    await shown(false);
    const msUntilOfflineShown = Date.now() - vanished;
    doc.close();
    return {
      tablets: STORES * TABLETS_PER_STORE,
      stores: STORES,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      msUntilOfflineShown,
    };
  } finally {
    await server.close();
    await redis.stop();
  }
}

runWhenMain(import.meta.url, runSyncStatusBench);
