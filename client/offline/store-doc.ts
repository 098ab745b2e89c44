import * as Y from 'yjs';
import type { StockView } from '../../shared/api/stock.ts';
import { readScarcePlane, type ScarcePlane } from '../../shared/scarce.ts';
import {
  type FieldEdit,
  fieldEditKey,
  isTextField,
  PRODUCT_FIELDS,
  PRODUCTS_MAP,
  type ProductAttributes,
  type ProductField,
  productTextName,
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

/** A product's editable attributes, read from the document. */
export function readProduct(doc: Y.Doc, sku: string): ProductAttributes | undefined {
  const entry = doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(sku);
  if (!entry) return undefined;
  const product = {} as ProductAttributes;
  for (const field of PRODUCT_FIELDS) product[field] = readField(doc, entry, sku, field);
  return product;
}

function readField(doc: Y.Doc, entry: Y.Map<string>, sku: string, field: ProductField): string {
  const legacy = entry.get(field) ?? '';
  if (!isTextField(field)) return legacy;
  const name = productTextName(sku, field);
  // getText would create the type: only read it once someone wrote it.
  return doc.share.has(name) && doc.getText(name).length > 0 ? doc.getText(name).toString() : legacy;
}

/** Who last set a single-value field, if a tablet recorded it. */
export function readFieldEdit(doc: Y.Doc, sku: string, field: ProductField): FieldEdit | undefined {
  const raw = doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get(sku)?.get(fieldEditKey(field));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as FieldEdit;
  } catch (error) {
    console.warn('unreadable field edit record', error);
    return undefined;
  }
}

/**
 * Edits one field; works offline and merges with other tablets. Free text (description,
 * notes) changes only the characters that differ, in a Y.Text, so two tablets' edits both
 * survive; a single value (shelf, name...) is last writer wins, recording who wrote it.
 */
export function editProduct(
  doc: Y.Doc,
  sku: string,
  field: ProductField,
  value: string,
  by: Omit<FieldEdit, 'at'> & { at?: number },
): void {
  const products = doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
  doc.transact(() => {
    let entry = products.get(sku);
    if (!entry) {
      entry = new Y.Map<string>();
      products.set(sku, entry);
    }
    if (isTextField(field)) {
      const text = doc.getText(productTextName(sku, field));
      const legacy = entry.get(field);
      const before = text.length > 0 ? text.toString() : (legacy ?? '');
      if (before === value) return;
      if (text.length === 0 && legacy !== undefined) {
        // First edit since the text was a plain value: the text takes the whole new value.
        entry.delete(field);
        text.insert(0, value);
        return;
      }
      applyTextChange(text, before, value);
      return;
    }
    if (entry.get(field) === value) return;
    entry.set(field, value);
    const edit: FieldEdit = { deviceId: by.deviceId, deviceName: by.deviceName, at: by.at ?? Date.now() };
    entry.set(fieldEditKey(field), JSON.stringify(edit));
  });
}

/** Turns `before` into `after` by deleting and inserting only the middle that differs. */
export function applyTextChange(text: Y.Text, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (endBefore > start) text.delete(start, endBefore - start);
  if (endAfter > start) text.insert(start, after.slice(start, endAfter));
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
