import type * as Y from 'yjs';
import type { TabletDb } from './db.ts';
import { StoreConnection, type StoreConnectionOptions } from './store-connection.ts';
import { openStoreDoc } from './store-doc.ts';

export type StoreSessionOptions = Omit<StoreConnectionOptions, 'storeId'> & {
  /** Every change of the document, from disk, a local edit or the server. */
  onDocChange: () => void;
};

/**
 * One enrolled store, open: its document from IndexedDB and the socket that keeps it in sync.
 * Opened on start and enrollment, closed on removal, re-enrollment and stop.
 */
export class StoreSession {
  private constructor(
    readonly doc: Y.Doc,
    private readonly closeDoc: () => void,
    private readonly connection: StoreConnection,
  ) {}

  /** Opens the document from disk (shown at once, offline too); the socket waits for `connect`. */
  static async open(db: TabletDb, storeId: string, options: StoreSessionOptions): Promise<StoreSession> {
    const { doc, close } = await openStoreDoc(db, storeId);
    doc.on('update', () => options.onDocChange());
    const { onDocChange: _, ...connectionOptions } = options;
    return new StoreSession(doc, close, new StoreConnection(doc, { ...connectionOptions, storeId }));
  }

  /** Connects the socket (if the browser is online and the tablet was not removed). */
  connect(): Promise<void> {
    return this.connection.open();
  }

  /** The server refused the credential elsewhere (a command, the status report): removed. */
  removed(): void {
    this.connection.removed();
  }

  close(): void {
    this.connection.stop();
    this.closeDoc();
  }
}
