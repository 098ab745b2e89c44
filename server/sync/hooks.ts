import type * as Y from 'yjs';

/**
 * What an extension sees of a store document open on this instance (server/sync knows no
 * capability: each registers what it keeps in the document through these hooks).
 */
export interface HostedDocument {
  readonly storeId: string;
  readonly doc: Y.Doc;
  /**
   * The transaction origin of the server's own changes: made with it, a change is relayed at
   * once and stored right after; made inside an observer while a tablet's update is applied,
   * it is stored in the same append as that update (write-queue.ts).
   */
  readonly serverOrigin: unknown;
  /** Whether a transaction origin is a tablet's socket (rather than the server or Redis). */
  isTabletOrigin(origin: unknown): boolean;
  /** Makes a server change to the document; resolves once stored. */
  change(fn: (doc: Y.Doc) => void): Promise<void>;
  /** Resolves when everything changed so far is stored; rejects if Redis refused it. */
  flushed(): Promise<void>;
}

/** What runs while a document stays open on this instance, returned by `onLoadDocument`. */
export interface LoadedDocument {
  /** The document is being freed on this instance (Hocuspocus' afterUnloadDocument). */
  onUnloadDocument?(): Promise<void>;
}

/**
 * A capability's part in the store document, in the manner of Hocuspocus' extensions.
 * `onLoadDocument` runs once a document is loaded from Redis, before any socket joins it or is
 * answered; the observers it registers on `doc` run before a tablet's update is stored or
 * relayed, so a capability guards its part of the document there (the `scarce` region,
 * server/projection/scarce-region.ts).
 */
export interface SyncExtension {
  onLoadDocument(document: HostedDocument, instanceId: string): Promise<LoadedDocument | undefined>;
}
