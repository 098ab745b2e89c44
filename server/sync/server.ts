import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { newUlid } from '../../shared/ids.ts';
import { readDevice } from '../auth/devices.ts';
import type { Deps } from '../deps.ts';
import { SyncConnection } from './connection.ts';
import { docKeys } from './doc-store.ts';
import type { HostedDocument, LoadedDocument, SyncExtension } from './hooks.ts';
import { InstanceRelay, type RelayMessage } from './instance-relay.ts';
import { LiveDocument, NotStoredError } from './live-document.ts';
import { CLOSE, MAX_MESSAGE_BYTES, PING_INTERVAL_MS } from './protocol.ts';
import { authorizeUpgrade, type Grant, refuseUpgrade } from './upgrade-auth.ts';

/** How often connected tablets are re-checked against revocation. */
const REVOCATION_CHECK_MS = 2_000;
/** A gap in the append numbers older than this means a pub/sub message was lost: reload. */
const GAP_TIMEOUT_MS = 1_000;
/** How often live documents compare their append number with Redis's (a lost last message leaves no gap). */
const STALE_CHECK_MS = 10_000;
/** Compaction thresholds (live-document.ts says what they bound). */
const COMPACT_AFTER_ENTRIES = 500;
const COMPACT_AFTER_BYTES = 256 * 1024;

/** What the server sees of a tablet's socket, for the admin's sync-status page. */
export type SocketPresence =
  | { kind: 'connected'; deviceId: string; storeId: string; connectionId: string }
  | { kind: 'seen' | 'disconnected'; deviceId: string; connectionId: string };

export interface SyncServerOptions {
  /** Told when a tablet's socket opens, answers a ping, and closes (server/admin/presence.ts). */
  onPresence?: (event: SocketPresence, instanceId: string) => void;
  onError?: (error: unknown) => void;
  /**
   * What each capability keeps in an open document, in order (the server wiring registers the
   * `scarce` region and projects Redis's numbers into it); the sync core knows no capability.
   */
  extensions?: SyncExtension[];
  revocationCheckMs?: number;
  compactAfterEntries?: number;
  compactAfterBytes?: number;
  /** The clock that times gaps in other instances' appends (default `Date.now`). */
  now?: () => number;
}

/** A store's document as this instance holds it, for tests and the bench. */
export interface LiveDocumentHandle {
  readonly doc: Y.Doc;
  /** Resolves once every change made here so far is stored in Redis. */
  flushed(): Promise<void>;
}

export interface SyncServer {
  /** Tags this instance's messages to the others. */
  readonly instanceId: string;
  /** The live document of a store, if a socket on this instance has it open. */
  documentOf(storeId: string): LiveDocumentHandle | undefined;
  /**
   * The live document of a store once it is loaded (and its extensions ran), if a socket on
   * this instance has it open and it is not being freed.
   */
  loadedDocument(storeId: string): Promise<HostedDocument | undefined>;
  connectionCount(): number;
  close(): Promise<void>;
}

interface Live {
  storeId: string;
  document: LiveDocument;
  /** Resolves once the document is loaded (and its extensions ran) and may be joined. */
  opened: Promise<void>;
  /** What the extensions run while the document is open, in the order they were loaded. */
  loadedBy: LoadedDocument[];
  /** Set once the document is being freed; resolves when it is. */
  released: Promise<void> | undefined;
}

/**
 * Serves `/sync/:storeId` on `httpServer`: the Yjs sync and awareness protocol of the stock
 * y-websocket client. Tablets of that store read and write; an admin reads. Documents live in
 * Redis; this object only caches the ones with sockets connected here, and holds all its state
 * (no module-level state), so a process may run several.
 */
export function attachSyncServer(
  httpServer: Server,
  deps: Deps,
  options: SyncServerOptions = {},
): SyncServer {
  const onError = options.onError ?? ((error: unknown) => console.error('sync:', error));
  const instanceId = newUlid().slice(-16);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  /** The document each store's new sockets join. */
  const live = new Map<string, Live>();
  /** Every document not yet freed: the live ones, and failed ones whose sockets are closing. */
  const held = new Set<Live>();
  const entryOf = new WeakMap<LiveDocument, Live>();
  /** Copies being freed, by store: a new copy loads only after the old one has stored everything. */
  const draining = new Map<string, Promise<void>>();
  const connections = new Set<SyncConnection>();
  let closing = false;
  let shutdown: Promise<void> | undefined;

  const relay = new InstanceRelay(
    deps.redis,
    instanceId,
    (storeId: string, message: RelayMessage) => {
      const entry = live.get(storeId);
      if (!entry) return;
      if (message.kind === 'update') entry.document.receiveFromInstance(message.seq, message.payload);
      else if (entry.document.peers.size > 0) entry.document.applyAwarenessFromInstance(message.payload);
    },
    () => {
      for (const entry of live.values()) if (entry.document.loaded) void entry.document.catchUp();
    },
  );

  /** The store's live document, loaded (and its extensions run) before anyone is answered. */
  function open(storeId: string): Live {
    const existing = live.get(storeId);
    if (existing) return existing;
    const document = new LiveDocument({
      storeId,
      redis: deps.redis,
      instanceId,
      onError,
      compactAfterEntries: options.compactAfterEntries ?? COMPACT_AFTER_ENTRIES,
      compactAfterBytes: options.compactAfterBytes ?? COMPACT_AFTER_BYTES,
      ...(options.now === undefined ? {} : { now: options.now }),
      publishAwareness: (update) => void relay.publishAwareness(storeId, update).catch(onError),
      onFailed: () => {
        // Redis refused an update: new sockets get a fresh copy; these reconnect and resend.
        if (live.get(storeId) === entry) live.delete(storeId);
        for (const peer of document.peers) peer.close(CLOSE.TRY_AGAIN_LATER, 'could not store an update');
      },
    });
    const entry: Live = {
      storeId,
      document,
      opened: Promise.resolve(),
      loadedBy: [],
      released: undefined,
    };
    entry.opened = (async () => {
      // Its own appends come back from pub/sub tagged as this instance's and are dropped: a copy
      // still storing them must finish before this one reads Redis.
      await draining.get(storeId);
      try {
        // Subscribe before loading: an update published in between arrives twice, which is harmless.
        await relay.subscribe(storeId);
        await document.load();
        for (const extension of options.extensions ?? []) {
          const loaded = await extension.onLoadDocument(document, instanceId);
          if (loaded) entry.loadedBy.push(loaded);
        }
      } catch (error) {
        await discard(entry);
        throw error;
      }
    })();
    live.set(storeId, entry);
    held.add(entry);
    entryOf.set(document, entry);
    return entry;
  }

  /** Adds a connection to its store's live document, opening it if needed, and greets it. */
  async function join(storeId: string, conn: SyncConnection): Promise<LiveDocument> {
    for (;;) {
      const entry = open(storeId);
      await entry.opened;
      // Released or failed while this socket waited: open it again.
      if (live.get(storeId) !== entry) continue;
      entry.document.join(conn);
      return entry.document;
    }
  }

  /** Frees a store's document once its last socket here has left. */
  async function release(document: LiveDocument): Promise<void> {
    const entry = entryOf.get(document);
    if (!entry || closing || document.peers.size > 0) return;
    await discard(entry);
  }

  function discard(entry: Live): Promise<void> {
    if (entry.released) return entry.released;
    entry.released = (async () => {
      if (live.get(entry.storeId) === entry) live.delete(entry.storeId);
      try {
        for (const loaded of [...entry.loadedBy].reverse()) await loaded.onUnloadDocument?.();
        await entry.document.close();
      } catch (error) {
        // A refused update was reported when Redis refused it.
        if (!(error instanceof NotStoredError)) onError(error);
      } finally {
        held.delete(entry);
        await relay.unsubscribe(entry.storeId).catch(onError);
        if (draining.get(entry.storeId) === entry.released) draining.delete(entry.storeId);
      }
    })();
    draining.set(entry.storeId, entry.released);
    return entry.released;
  }

  function accept(conn: SyncConnection): void {
    connections.add(conn);
    conn.ws.on('close', () => connections.delete(conn));
    const { deviceId, storeId } = conn.grant;
    const onPresence = options.onPresence;
    if (deviceId && onPresence) {
      const connectionId = newUlid();
      onPresence({ kind: 'connected', deviceId, storeId, connectionId }, instanceId);
      conn.onHeard = () => onPresence({ kind: 'seen', deviceId, connectionId }, instanceId);
      conn.ws.on('close', () => onPresence({ kind: 'disconnected', deviceId, connectionId }, instanceId));
    }
    conn.serve(join(conn.grant.storeId, conn), (document) => void release(document));
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!request.url?.startsWith('/sync/')) return;
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    authorizeUpgrade(deps, request).then(
      (grant: Grant) =>
        wss.handleUpgrade(request, socket, head, (ws) => {
          const conn = new SyncConnection(ws, grant, onError);
          ws.binaryType = 'nodebuffer';
          // Authorized while the server began shutting down: tell the client to come back later.
          if (closing) conn.close(CLOSE.SERVER_SHUTDOWN, 'server shutting down');
          else accept(conn);
        }),
      (error: unknown) => refuseUpgrade(socket, error, onError),
    );
  };
  httpServer.on('upgrade', onUpgrade);

  const pinger = setInterval(() => {
    for (const conn of connections) {
      const round = conn.livenessRound();
      if (round === 'dead') conn.ws.terminate();
      else if (round === 'heard') conn.onHeard?.();
    }
  }, PING_INTERVAL_MS);

  // A revoked tablet loses its socket within seconds, not at its next reconnect.
  const revocationCheck = setInterval(() => {
    const byDevice = new Map<string, SyncConnection[]>();
    for (const conn of connections) {
      const { deviceId } = conn.grant;
      if (deviceId) byDevice.set(deviceId, [...(byDevice.get(deviceId) ?? []), conn]);
    }
    for (const [deviceId, conns] of byDevice) {
      readDevice(deps, deviceId).then((device) => {
        if (device && device.revokedAt === undefined) return;
        for (const conn of conns) conn.close(CLOSE.DEVICE_REVOKED, 'device revoked');
      }, onError);
    }
  }, options.revocationCheckMs ?? REVOCATION_CHECK_MS);

  // Pub/sub drops messages while its connection is down: a gap, or a counter ahead of ours, reloads.
  const gapCheck = setInterval(() => {
    for (const entry of live.values()) {
      if (entry.document.hasGapOlderThan(GAP_TIMEOUT_MS)) void entry.document.catchUp();
    }
  }, GAP_TIMEOUT_MS);
  const staleCheck = setInterval(() => {
    for (const [storeId, { document }] of live) {
      if (!document.loaded) continue;
      deps.redis.get(docKeys(storeId).seq).then((stored) => {
        if (Number(stored ?? 0) > document.appliedThrough) void document.catchUp();
      }, onError);
    }
  }, STALE_CHECK_MS);
  for (const timer of [pinger, revocationCheck, gapCheck, staleCheck]) timer.unref();

  return {
    instanceId,
    documentOf(storeId) {
      const document = live.get(storeId)?.document;
      return document && { doc: document.doc, flushed: () => document.flushed() };
    },
    async loadedDocument(storeId) {
      const entry = live.get(storeId);
      if (!entry) return undefined;
      await entry.opened;
      return entry.released === undefined ? entry.document : undefined;
    },
    connectionCount: () => connections.size,
    close() {
      shutdown ??= (async () => {
        closing = true;
        for (const timer of [pinger, revocationCheck, gapCheck, staleCheck]) clearInterval(timer);
        httpServer.off('upgrade', onUpgrade);
        for (const conn of connections) conn.close(CLOSE.SERVER_SHUTDOWN, 'server shutting down');
        // Documents still opening use the relay: let them finish first.
        await Promise.allSettled([...live.values()].map((entry) => entry.opened));
        await Promise.all([...held].map(discard));
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        relay.close();
      })();
      return shutdown;
    },
  };
}
