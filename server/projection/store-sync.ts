import type { Server } from 'node:http';
import type { Deps } from '../deps.ts';
import type { HostedDocument, SyncExtension } from '../sync/hooks.ts';
import { attachSyncServer, type SyncServer, type SyncServerOptions } from '../sync/server.ts';
import { ServerView, type ServerViewWriter } from './server-view.ts';
import type { ProjectedDocument, StoreProjection } from './store-projection.ts';

export interface StoreSyncOptions extends SyncServerOptions {
  /** Projects Redis into each open document's `scarce` region; none in the sync tests. */
  project?: (document: ProjectedDocument, instanceId: string) => StoreProjection;
}

/** The sync server with the store document's server-owned `scarce` region. */
export interface StoreSync extends SyncServer {
  /**
   * Changes the `scarce` region of a store's document in one transaction, if a socket on this
   * instance has it open (otherwise the projection writes it when one does). Resolves once
   * stored, with whether the document was open here and anything changed.
   */
  writeServerView(storeId: string, fn: (view: ServerViewWriter) => void): Promise<boolean>;
}

/**
 * Serves `/sync/:storeId` (server/sync/server.ts) with the `scarce` region registered in every
 * document as it loads (a tablet's write there is put back before it is stored), and, when
 * `project` is given, Redis's numbers projected into it.
 */
export function attachStoreSync(httpServer: Server, deps: Deps, options: StoreSyncOptions = {}): StoreSync {
  const { project, extensions = [], ...syncOptions } = options;
  const regions = new WeakMap<HostedDocument, ServerView>();

  const scarceRegion: SyncExtension = {
    async onLoadDocument(document) {
      const isTablet = (origin: unknown) => document.isTabletOrigin(origin);
      regions.set(document, new ServerView(document.doc, document.serverOrigin, isTablet));
      return undefined;
    },
  };

  async function writeView(document: HostedDocument, fn: (view: ServerViewWriter) => void): Promise<boolean> {
    const view = regions.get(document);
    if (!view) throw new Error(`store ${document.storeId}: the scarce region is not loaded`);
    const changed = view.write(fn);
    if (changed) await document.flushed();
    return changed;
  }

  const projection: SyncExtension[] = project
    ? [
        {
          async onLoadDocument(document, instanceId) {
            const running = project(
              {
                storeId: document.storeId,
                doc: document.doc,
                isTabletOrigin: (origin) => document.isTabletOrigin(origin),
                change: (fn) => document.change(fn),
                writeView: (fn) => writeView(document, fn),
              },
              instanceId,
            );
            await running.ready;
            return { onUnloadDocument: () => running.stop() };
          },
        },
      ]
    : [];

  const sync = attachSyncServer(httpServer, deps, {
    ...syncOptions,
    extensions: [scarceRegion, ...projection, ...extensions],
  });
  return {
    ...sync,
    async writeServerView(storeId, fn) {
      const document = await sync.loadedDocument(storeId);
      return document !== undefined && writeView(document, fn);
    },
  };
}
