import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface DocClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves at the first "synced" from the server. */
  synced: Promise<void>;
  close(): void;
}

/**
 * The stock y-websocket client against `/sync/<storeId>`, as a tablet runs it. BroadcastChannel
 * is off: in one Node process it would sync test clients with each other, not through the server.
 */
export function connectDoc(baseUrl: string, storeId: string, token: string, doc = new Y.Doc()): DocClient {
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/sync`, storeId, doc, {
    WebSocketPolyfill: bearerWebSocket(token),
    disableBc: true,
    maxBackoffTime: 200,
  });
  const synced = new Promise<void>((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return {
    doc,
    provider,
    synced,
    close() {
      provider.destroy();
    },
  };
}

/**
 * `ws` sending the credential in the Authorization header, as a client that can set headers
 * does: the server takes none in the URL (a browser tablet uses a one-time ticket instead).
 */
export function bearerWebSocket(token: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { authorization: `Bearer ${token}` } });
    }
  } as unknown as typeof globalThis.WebSocket;
}

/** The HTTP status a refused websocket upgrade answered with. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

/** Timers a test advances by hand (client/offline/timers.ts), so nothing waits on the wall clock. */
export function manualTimers() {
  let now = 0;
  let nextId = 0;
  const jobs = new Map<number, { at: number; every?: number; job: () => void }>();
  return {
    now: () => now,
    every(intervalMs: number, job: () => void) {
      jobs.set(nextId++, { at: now + intervalMs, every: intervalMs, job });
    },
    after(delayMs: number, job: () => void) {
      const id = nextId++;
      jobs.set(id, { at: now + delayMs, job });
      return () => void jobs.delete(id);
    },
    stopAll() {
      jobs.clear();
    },
    /** Moves time on by `ms`, running each job that falls due, in time order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...jobs].filter(([, j]) => j.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, j] = due;
        now = j.at;
        if (j.every) j.at += j.every;
        else jobs.delete(id);
        j.job();
      }
      now = end;
    },
    get scheduled() {
      return jobs.size;
    },
  };
}
