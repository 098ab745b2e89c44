/**
 * The shape of a store's Yjs document (one per store, DESIGN "Two planes of data").
 *
 *   products  Y.Map<sku, Y.Map<field, string>>   catalog attributes staff edit (CRDT, offline)
 *   checkins  Y.Map<bookingId, CheckinMark>       check-in / no-show marks made on a tablet
 *   'text:<field>:<sku>'  Y.Text                 free text staff write (description, notes), merged
 *             as text so two tablets' edits both survive (issue 8.8). Top-level, so no two
 *             tablets ever create it twice (two Y.Texts set under one map key: one is lost).
 *   products[sku]['edited:<field>'] -> JSON FieldEdit  who last set a single-value field
 *   scarce    Y.Array<{ key, val }>               written by the server from Redis: read-only
 *             'stock:<sku>' -> StockView            one key per product, rewritten when it changes
 *             'holds'       -> Record<holdId, HoldView & staff customer fields>
 *             'bookings'    -> Record<bookingId, BookingView & staff customer fields>
 *             'asOf'        -> number (ms, server time of the last write)
 *
 * Only the server writes `scarce`; a tablet's write there is reverted. It is a key-value
 * list (for a key, the rightmost entry wins; server/sync/server-view.ts keeps one entry per
 * key), not a Y.Map: every overwrite of a Y.Map key leaves a tombstone of about 10 bytes
 * forever, while replaced list entries merge into ranges, so a month of stock changes does
 * not grow the document (test/sync/server-view.test.ts).
 */
export const PRODUCTS_MAP = 'products';
export const CHECKINS_MAP = 'checkins';
export const SCARCE_ARRAY = 'scarce';
export const STOCK_KEY_PREFIX = 'stock:';

/** The catalog fields of a product that staff may edit. */
export const PRODUCT_FIELDS = ['name', 'description', 'category', 'priceLabel', 'shelf', 'notes'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];
export type ProductAttributes = Record<ProductField, string>;

/** Free-text fields, kept as Y.Text; the others are single values (last writer wins). */
export const TEXT_FIELDS = ['description', 'notes'] as const satisfies readonly ProductField[];
export type TextField = (typeof TEXT_FIELDS)[number];

export function isTextField(field: ProductField): field is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(field);
}

/** The top-level Y.Text holding one product's free-text field. */
export function productTextName(sku: string, field: TextField): string {
  return `text:${field}:${sku}`;
}

/** The key, in a product's map, recording who last set a single-value field. */
export function fieldEditKey(field: ProductField): string {
  return `edited:${field}`;
}

/** Who last set a single-value field, so a tablet can show that it was changed elsewhere. */
export interface FieldEdit {
  deviceId: string;
  deviceName: string;
  at: number;
}

/** A tablet's mark on a booking; 'booked' is a check-in or no-show undone (issue 15 §2). */
export interface CheckinMark {
  status: 'checked_in' | 'no_show' | 'booked';
  at: number;
  deviceId: string;
}

/**
 * Close codes of the sync websocket (4000-4999 are free for applications, RFC 6455 §7.4.2).
 * 4400-4499 mirror HTTP 4xx: the stock y-websocket client stops retrying on them.
 */
export const SYNC_CLOSE = {
  /** The device credential was revoked while connected: final, like HTTP 401. */
  DEVICE_REVOKED: 4401,
  /** The server is shutting down; reconnect later. */
  SERVER_SHUTDOWN: 4002,
} as const;

/** One entry of the `scarce` list. */
export interface ScarceEntry {
  key: string;
  val: unknown;
}
