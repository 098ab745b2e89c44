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
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
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
