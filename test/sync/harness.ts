/**
 * The sync server on its own, as the sync tests and the bench run it: a plain `node:http`
 * server on port 0 with `attachStoreSync` (the sync core and the `scarce` region, no
 * projection), over a real Redis, with stores and tablets made through the real enrollment
 * functions (no HTTP API in the way).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createEnrollmentCode, enrollDevice, markDeviceRevoked } from '../../server/auth/devices.ts';
import { testConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import {
  attachStoreSync,
  type StoreSync,
  type StoreSyncOptions,
} from '../../server/projection/store-sync.ts';
import { storeMetaKey } from '../../server/redis/keys.ts';
import { loadStoredDoc } from '../../server/sync/doc-store.ts';
import { SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';
import { bearerWebSocket } from '../helpers/tablet-client.ts';

export const ADMIN_TOKEN = 'sync-test-admin-token-0123456789';

/** Deps over `redis`; the caller closes `deps.hub`. */
export function depsOver(redis: Redis): Deps {
  return createDeps(redis, testConfig({ adminToken: ADMIN_TOKEN, rateLimitPerMinute: 0 }));
}

/** A store as the admin API leaves it, as far as sync cares: its meta hash. */
export async function createStore(deps: Deps, storeId: string): Promise<void> {
  await deps.redis.hset(storeMetaKey(storeId), 'id', storeId);
}

export interface Tablet {
  deviceId: string;
  credential: string;
}

/** A tablet enrolled in `storeId` with a one-time code, as an admin and the tablet would. */
export async function enrollTablet(deps: Deps, storeId: string): Promise<Tablet> {
  const { code } = await createEnrollmentCode(deps, storeId);
  const { deviceId, credential } = await enrollDevice(deps, code, `tablet of ${storeId}`);
  return { deviceId, credential };
}

export async function revokeTablet(deps: Deps, tablet: Tablet): Promise<void> {
  await markDeviceRevoked(deps, tablet.deviceId);
}

export interface SyncInstance {
  deps: Deps;
  url: string;
  sync: StoreSync;
  close(): Promise<void>;
}

/** One server instance: its own Redis connection, HTTP server on port 0 and sync server. */
export async function startSyncInstance(redis: Redis, options: StoreSyncOptions = {}): Promise<SyncInstance> {
  const deps = depsOver(redis.duplicate());
  const server: Server = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sync = attachStoreSync(server, deps, {
    onError: (error) => console.warn('sync error in test instance:', error),
    ...options,
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    deps,
    url: `http://127.0.0.1:${port}`,
    sync,
    close() {
      closed ??= (async () => {
        await sync.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await deps.hub.close();
        await deps.redis.quit();
      })();
      return closed;
    },
  };
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves at the first "synced". */
  synced: Promise<void>;
  close(): void;
}

/** The stock y-websocket client, as the tablet app runs it (BroadcastChannel off: one process). */
export function connectClient(
  baseUrl: string,
  storeId: string,
  token: string,
  options: { doc?: Y.Doc; params?: Record<string, string>; connect?: boolean } = {},
): Client {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, storeId, doc, {
    params: { ...options.params },
    WebSocketPolyfill: bearerWebSocket(token),
    disableBc: true,
    maxBackoffTime: 200,
    connect: options.connect ?? true,
  });
  const synced = new Promise<void>((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return { doc, provider, synced, close: () => provider.destroy() };
}

/** The HTTP status a websocket upgrade was answered with (101 when it opened). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

/** The document as Redis holds it (snapshot + log). */
export async function storedDoc(redis: Redis, storeId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of (await loadStoredDoc(redis, storeId)).updates) Y.applyUpdate(doc, update);
  return doc;
}

/** The server view as a tablet reads it: for each key, the rightmost entry wins. */
export function readView(doc: Y.Doc): Map<string, unknown> {
  const view = new Map<string, unknown>();
  for (const entry of doc.getArray<ScarceEntry>(SCARCE_ARRAY).toArray()) view.set(entry.key, entry.val);
  return view;
}

/** Polls `probe` until `accept` holds, for at most `timeoutMs`; never a fixed sleep. */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what} not met in ${timeoutMs} ms; last value ${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    last = await probe();
  }
  return last;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}
