import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { StockView } from '../../shared/api/stock.ts';
import { readScarcePlane, type ScarcePlane } from '../../shared/scarce.ts';
import {
  PRODUCTS_MAP,
  type ProductAttributes,
  type ProductField,
  SCARCE_ARRAY,
  type ScarceEntry,
} from '../../shared/store-doc.ts';
import type { TabletDb } from './db.ts';

/** Updates kept per store before they are merged into one, bounding the local log. */
const COMPACT_AFTER_UPDATES = 300;

/** Marks updates that came from IndexedDB, so they are not written back. */
const FROM_DISK = Symbol('from-disk');

/**
 * Opens the store's document from IndexedDB, before any network: the tablet shows what it
 * last knew at once, offline too. Every later change (local edit or from the server) is
 * appended to IndexedDB, and the log is compacted now and then.
 */
export async function openStoreDoc(db: TabletDb, storeId: string): Promise<{ doc: Y.Doc; close(): void }> {
  const doc = new Y.Doc();
  const stored = await db.docUpdates.where('storeId').equals(storeId).toArray();
  if (stored.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(stored.map((u) => u.update)), FROM_DISK);
  let written = stored.length;
  let compacting: Promise<void> | undefined;

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === FROM_DISK) return;
    written += 1;
    void db.docUpdates.add({ storeId, update }).then(() => {
      if (written > COMPACT_AFTER_UPDATES && !compacting) {
        compacting = compact(db, storeId, doc).finally(() => {
          compacting = undefined;
          written = 1;
        });
      }
    });
  };
  doc.on('update', onUpdate);
  return {
    doc,
    close() {
      doc.off('update', onUpdate);
      doc.destroy();
    },
  };
}

/** Replaces the store's update log with one update holding the whole state, in one transaction. */
async function compact(db: TabletDb, storeId: string, doc: Y.Doc): Promise<void> {
  await db.transaction('rw', db.docUpdates, async () => {
    const keys = await db.docUpdates.where('storeId').equals(storeId).primaryKeys();
    await db.docUpdates.add({ storeId, update: Y.encodeStateAsUpdate(doc) });
    await db.docUpdates.bulkDelete(keys);
  });
}

/** Connects the document to the server's `/sync/<storeId>` endpoint with the stock y-websocket client. */
export function connectStoreDoc(
  doc: Y.Doc,
  options: { baseUrl: string; storeId: string; credential: string; WebSocketPolyfill?: unknown },
): WebsocketProvider {
  const wsBase = `${options.baseUrl.replace(/^http/, 'ws')}/sync`;
  const providerOptions: ConstructorParameters<typeof WebsocketProvider>[3] = {
    params: { token: options.credential },
    maxBackoffTime: 10_000,
  };
  if (options.WebSocketPolyfill) {
    (providerOptions as { WebSocketPolyfill?: unknown }).WebSocketPolyfill = options.WebSocketPolyfill;
  }
  return new WebsocketProvider(wsBase, options.storeId, doc, providerOptions);
}

/** A product's editable attributes, read from the document. */
export function readProduct(doc: Y.Doc, sku: string): ProductAttributes | undefined {
  const entry = doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(sku);
  if (!entry) return undefined;
  return {
    name: entry.get('name') ?? '',
    description: entry.get('description') ?? '',
    category: entry.get('category') ?? '',
    priceLabel: entry.get('priceLabel') ?? '',
    shelf: entry.get('shelf') ?? '',
    notes: entry.get('notes') ?? '',
  };
}

/** Edits one field; works offline and merges with other tablets (last writer per field wins). */
export function editProduct(doc: Y.Doc, sku: string, field: ProductField, value: string): void {
  const products = doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
  doc.transact(() => {
    let entry = products.get(sku);
    if (!entry) {
      entry = new Y.Map<string>();
      products.set(sku, entry);
    }
    if (entry.get(field) !== value) entry.set(field, value);
  });
}

/**
 * The server's read-only mirror, as a map: for each key the rightmost entry of the list wins
 * (server/sync/server-view.ts keeps one). The tablet only reads it, so it never writes there.
 */
export function readScarceAll(doc: Y.Doc): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const entry of doc.getArray<ScarceEntry>(SCARCE_ARRAY).toArray()) values.set(entry.key, entry.val);
  return values;
}

/** One value of the server's mirror, or undefined before the first sync. */
export function readScarce<T>(doc: Y.Doc, key: string): T | undefined {
  const list = doc.getArray<ScarceEntry>(SCARCE_ARRAY);
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list.get(i);
    if (entry.key === key) return entry.val as T;
  }
  return undefined;
}

/** The server's part of the document, typed and parsed (shared/scarce.ts). */
export function readScarcePlaneOf(doc: Y.Doc): ScarcePlane {
  return readScarcePlane(readScarceAll(doc));
}

/** Every product's server-confirmed numbers, keyed by sku. */
export function readStock(doc: Y.Doc): Record<string, StockView> {
  return readScarcePlaneOf(doc).stock;
}
