import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { newUlid, SLUG_PATTERN } from '../../shared/ids.ts';
import { STOCK_KEY_PREFIX, SYNC_CLOSE } from '../../shared/store-doc.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { listStoreBookings } from '../appointments/bookings.ts';
import { listEvents } from '../appointments/events.ts';
import { authenticateDevice, readDevice } from '../auth/devices.ts';
import { bearerToken, isAdminToken } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { readStockOf, type StreamEntry, storeAuditStream, watchStream } from '../mirror/store-view.ts';
import { eventPrefix, storePrefix } from '../redis/keys.ts';
import { listOpenHolds } from '../stock/holds.ts';
import { readStore } from '../stock/stores.ts';
import { docKeys } from './doc-store.ts';
import { PING_INTERVAL_MS } from './protocol.ts';
import { StoreDocument, type SyncConnection } from './store-document.ts';

const SYNC_PATH = /^\/sync\/([^/?]+)$/;
/** How often connected tablets are re-checked against revocation. */
const REVOCATION_CHECK_MS = 2_000;
/** How often live documents look for events created since they opened. */
const EVENT_CHECK_MS = 5_000;
/** Changes arriving within this window are mirrored together. */
const MIRROR_DEBOUNCE_MS = 25;

interface Live {
  document: StoreDocument;
  /** Resolves once the document is loaded from Redis, seeded and mirrored. */
  opened: Promise<void>;
  stopWatchers: (() => void)[];
  /** Events whose audit stream this document follows (bookings of its store come from there). */
  watchedEvents: Set<string>;
  pendingSkus: Set<string> | 'all';
  refreshHoldsAndBookings: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface SyncServer {
  /** The live document of a store, if any socket has it open (tests, the bench). */
  documentOf(storeId: string): StoreDocument | undefined;
  connectionCount(): number;
  close(): Promise<void>;
}

/**
 * Serves `/sync/:storeId` on `httpServer`: the Yjs sync and awareness protocol of the stock
 * y-websocket client. Tablets of that store read and write; an admin reads. Documents live
 * in Redis; this object only caches the ones with sockets connected.
 */
export function attachSyncServer(
  httpServer: Server,
  deps: Deps,
  options: { onError?: (error: unknown) => void; eventCheckMs?: number } = {},
): SyncServer {
  const onError = options.onError ?? ((error: unknown) => console.error('sync:', error));
  const instanceId = newUlid().slice(-16);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const live = new Map<string, Live>();
  /** Whether each socket answered the last ping. */
  const alive = new WeakMap<WebSocket, boolean>();
  const subscriber = deps.redis.duplicate();
  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    const storeId = /^\{st:([^}]+)\}:doc:channel$/.exec(channel.toString())?.[1];
    const entry = storeId ? live.get(storeId) : undefined;
    if (!entry || message.subarray(0, 16).toString() === instanceId) return;
    entry.document.receiveFromOtherInstance(new Uint8Array(message.subarray(16)));
  });

  /** The store's live document, loaded, seeded and mirrored before anyone is answered. */
  async function open(storeId: string): Promise<Live> {
    let entry = live.get(storeId);
    if (!entry) {
      const document = new StoreDocument(storeId, deps.redis, instanceId, onError);
      const created: Live = {
        document,
        opened: Promise.resolve(),
        stopWatchers: [],
        watchedEvents: new Set(),
        pendingSkus: 'all',
        refreshHoldsAndBookings: true,
        timer: undefined,
      };
      created.opened = initialize(created);
      live.set(storeId, created);
      entry = created;
    }
    await entry.opened;
    return entry;
  }

  async function initialize(entry: Live): Promise<void> {
    const { storeId } = entry.document;
    // Subscribe before loading: an update published in between arrives twice, which Yjs ignores.
    await subscriber.subscribe(docKeys(storeId).channel);
    await entry.document.ready;
    await mirror(entry);
    entry.stopWatchers.push(
      watchStream(deps.redis, storeAuditStream(storeId), (e) => schedule(entry, e), onError),
    );
    await watchNewEvents(entry);
  }

  /** Follows the audit stream of every event not followed yet (events can be created at any time). */
  async function watchNewEvents(entry: Live): Promise<void> {
    for (const event of await listEvents(deps)) {
      if (entry.watchedEvents.has(event.id) || live.get(entry.document.storeId) !== entry) continue;
      entry.watchedEvents.add(event.id);
      const stream = `${eventPrefix(event.id)}audit`;
      entry.stopWatchers.push(watchStream(deps.redis, stream, (e) => schedule(entry, e), onError));
      // Bookings made before the watch began are mirrored too.
      entry.refreshHoldsAndBookings = true;
      schedule(entry, []);
    }
  }

  function schedule(entry: Live, entries: StreamEntry[]) {
    for (const { type, data } of entries) {
      if (data.storeId !== undefined && data.storeId !== entry.document.storeId) continue;
      if (type.startsWith('hold.') || type.startsWith('booking.')) entry.refreshHoldsAndBookings = true;
      if (type === 'catalog.imported') entry.pendingSkus = 'all';
      else if (typeof data.sku === 'string' && entry.pendingSkus !== 'all') entry.pendingSkus.add(data.sku);
    }
    entry.timer ??= setTimeout(() => {
      entry.timer = undefined;
      void mirror(entry).catch(onError);
    }, MIRROR_DEBOUNCE_MS);
  }

  /** Writes the server's numbers into the document's read-only `scarce` part (DESIGN rule 1). */
  async function mirror(entry: Live) {
    const { storeId } = entry.document;
    const all = entry.pendingSkus === 'all';
    const skus = all ? undefined : [...entry.pendingSkus];
    const withLists = entry.refreshHoldsAndBookings;
    entry.pendingSkus = new Set();
    entry.refreshHoldsAndBookings = false;
    if (all) await seedCatalog(entry);
    const values = new Map<string, unknown>();
    if (skus === undefined || skus.length > 0) {
      for (const [sku, view] of Object.entries(await readStockOf(deps, storeId, skus)))
        values.set(`${STOCK_KEY_PREFIX}${sku}`, view);
    }
    if (withLists) {
      const holds = await listOpenHolds(deps, storeId);
      values.set('holds', Object.fromEntries(holds.map((h) => [h.id, h])));
      const store = await readStore(deps, storeId);
      const today = dateInZone(Date.now(), store?.timeZone ?? 'UTC');
      const from = zonedTimeToEpochMs(today, '00:00', store?.timeZone ?? 'UTC');
      const to = zonedTimeToEpochMs(addDays(today, 2), '00:00', store?.timeZone ?? 'UTC');
      const bookings = await listStoreBookings(deps, storeId, from, to);
      values.set('bookings', Object.fromEntries(bookings.map((b) => [b.id, b])));
    }
    values.set('asOf', Date.now());
    if (live.get(storeId) === entry) entry.document.writeScarce(values, all ? STOCK_KEY_PREFIX : undefined);
  }

  /** Puts products the admin imported into the document, once per store across instances. */
  async function seedCatalog(entry: Live) {
    const { storeId } = entry.document;
    const keys = docKeys(storeId);
    if ((await deps.redis.set(keys.seedLock, instanceId, 'PX', 10_000, 'NX')) !== 'OK') return;
    try {
      const catalog = await deps.redis.hgetall(`${storePrefix(storeId)}catalog`);
      const entries = new Map(
        Object.entries(catalog).map(([sku, json]) => [sku, JSON.parse(json) as Record<string, string>]),
      );
      entry.document.addMissingProducts(entries);
      await entry.document.flushed();
    } finally {
      await deps.redis.del(keys.seedLock);
    }
  }

  /** Adds a connection to its store's live document, opening it if needed, and greets it. */
  async function join(storeId: string, conn: SyncConnection): Promise<Live> {
    for (;;) {
      const entry = await open(storeId);
      // The document may have been released while this socket waited: open it again.
      if (live.get(storeId) !== entry) continue;
      entry.document.connections.add(conn);
      entry.document.greet(conn);
      return entry;
    }
  }

  let closing = false;

  async function release(storeId: string, entry: Live) {
    if (closing || entry.document.connections.size > 0 || live.get(storeId) !== entry) return;
    live.delete(storeId);
    if (entry.timer) clearTimeout(entry.timer);
    for (const stop of entry.stopWatchers) stop();
    await entry.document.flushed();
    // Unsubscribe only if nobody reopened the store meanwhile: its SUBSCRIBE went out first
    // on this same connection, and an UNSUBSCRIBE after it would leave the new copy deaf.
    if (!live.has(storeId)) await subscriber.unsubscribe(docKeys(storeId).channel);
    entry.document.destroy();
  }

  /** Decides who may open the socket, before the upgrade: a tablet of that store, or an admin (read-only). */
  async function authorize(
    request: IncomingMessage,
  ): Promise<{ storeId: string; readOnly: boolean; deviceId?: string }> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const storeId = SYNC_PATH.exec(url.pathname)?.[1];
    if (!storeId || !SLUG_PATTERN.test(storeId)) throw new AppError('ROUTE_NOT_FOUND');
    const token = url.searchParams.get('token') ?? bearerToken(request.headers.authorization);
    if (!token) throw new AppError('UNAUTHENTICATED');
    if (await isAdminToken(deps, token)) return { storeId, readOnly: true };
    const device = await authenticateDevice(deps, token);
    if (device.storeId !== storeId) throw new AppError('FORBIDDEN');
    return { storeId, readOnly: false, deviceId: device.deviceId };
  }

  function refuse(socket: Duplex, error: unknown) {
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    const status =
      code === 'FORBIDDEN'
        ? '403 Forbidden'
        : code === 'ROUTE_NOT_FOUND'
          ? '404 Not Found'
          : code === 'INTERNAL'
            ? '500 Internal Server Error'
            : '401 Unauthorized';
    if (code === 'INTERNAL') onError(error);
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ code })}`,
    );
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!request.url?.startsWith('/sync/')) return;
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    authorize(request).then(
      (grant) => wss.handleUpgrade(request, socket, head, (ws) => void accept(ws, grant)),
      (error: unknown) => refuse(socket, error),
    );
  };
  httpServer.on('upgrade', onUpgrade);

  async function accept(ws: WebSocket, grant: { storeId: string; readOnly: boolean; deviceId?: string }) {
    // Authorized while the server began shutting down: tell the client to come back later.
    if (closing) {
      ws.close(SYNC_CLOSE.SERVER_SHUTDOWN, 'server shutting down');
      return;
    }
    ws.binaryType = 'nodebuffer';
    alive.set(ws, true);
    const conn: SyncConnection & { ws: WebSocket } = {
      ws,
      readOnly: grant.readOnly,
      deviceId: grant.deviceId,
      awarenessIds: new Set(),
      send(message) {
        if (ws.readyState === WebSocket.OPEN) ws.send(message, (error) => error && ws.terminate());
      },
    };
    // Messages that arrive while the document loads wait, in order, behind the loading.
    let chain: Promise<unknown> = join(grant.storeId, conn);
    const entryPromise = chain as Promise<Live>;
    ws.on('message', (data: RawData) => {
      const bytes = new Uint8Array(data as Buffer);
      chain = chain
        .then(async () => (await entryPromise).document.handle(conn, bytes))
        .catch((error: unknown) => {
          onError(error);
          ws.close(1011, 'could not apply the message');
        });
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('close', () => {
      void entryPromise.then(async (entry) => {
        entry.document.leave(conn);
        await release(grant.storeId, entry);
      }, onError);
    });
    try {
      await entryPromise;
    } catch (error) {
      onError(error);
      ws.close(1011, 'could not load the store document');
    }
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);

  // A revoked tablet loses its socket within seconds, not at its next reconnect.
  const revocationCheck = setInterval(() => {
    for (const entry of live.values()) {
      for (const conn of entry.document.connections) {
        if (!conn.deviceId) continue;
        readDevice(deps, conn.deviceId).then((device) => {
          if (!device || device.revokedAt !== undefined)
            (conn as { ws?: WebSocket }).ws?.close(SYNC_CLOSE.DEVICE_REVOKED, 'device revoked');
        }, onError);
      }
    }
  }, REVOCATION_CHECK_MS);
  const eventCheck = setInterval(() => {
    for (const entry of live.values()) void watchNewEvents(entry).catch(onError);
  }, options.eventCheckMs ?? EVENT_CHECK_MS);
  pinger.unref();
  revocationCheck.unref();
  eventCheck.unref();

  return {
    documentOf: (storeId) => live.get(storeId)?.document,
    connectionCount: () => wss.clients.size,
    async close() {
      closing = true;
      clearInterval(pinger);
      clearInterval(eventCheck);
      clearInterval(revocationCheck);
      httpServer.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(SYNC_CLOSE.SERVER_SHUTDOWN, 'server shutting down');
      // Documents still opening use the subscriber: let them finish before it goes.
      await Promise.allSettled([...live.values()].map((entry) => entry.opened));
      for (const entry of live.values()) {
        if (entry.timer) clearTimeout(entry.timer);
        for (const stop of entry.stopWatchers) stop();
        await entry.document.flushed();
        entry.document.destroy();
      }
      live.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      subscriber.disconnect();
    },
  };
}
