import { storeAuditStream } from '../audit/streams.ts';
import { storeMetaKey, storePrefix } from '../redis/keys.ts';

/**
 * The one place that names a store's keys in Redis. Everything lives under the store's hash
 * tag `{st:<storeId>}` (server/redis/keys.ts), because the invariant "held + leased never
 * exceeds on-hand" is per store and sku and each script must stay inside one Cluster slot.
 * Per-sku values are hash fields, one hash per kind. Scripts receive these names as KEYS, by role.
 */
function namesOf(storeId: string) {
  const p = storePrefix(storeId);
  return {
    /** The store's record (name, time zone...); its existence is "the store exists". */
    meta: storeMetaKey(storeId),
    /** sku -> JSON { name, category, priceLabel }. */
    catalog: `${p}catalog`,
    /**
     * sku -> "<onHand> <held> <leased> <updatedAt>": the numbers every stock script reads and
     * writes together, in one field, so a hold reads them with one HGET and writes them with
     * one HSET (issue 10 §1). updatedAt is the ms of the last change (the tablets' "as of").
     * Every product in the catalog has one. Read it with `parseStockRecord` (stock-record.ts).
     */
    stock: `${p}stock`,
    received: `${p}received`,
    countedOut: `${p}counted-out`,
    sold: `${p}sold`,
    writtenOff: `${p}written-off`,
    fulfilled: `${p}fulfilled`,
    /** sku -> units promised beyond the shelf (DESIGN rule 4), while there are any. */
    shortfalls: `${p}shortfalls`,
    /** Unconfirmed holds by deadline (ms). */
    holdExpiry: `${p}hold-expiry`,
    /** Holds waiting for pickup, by creation time: the staff's queue. */
    holdsOpen: `${p}holds-open`,
    /** `<deviceId>|<sku>` by the time the server reclaims the lease. */
    leaseExpiry: `${p}lease-expiry`,
    leaseDevices: `${p}lease-devices`,
    /**
     * deviceId -> ms it was revoked (issue 15 §1): kept in the store's hash tag so the lease
     * scripts can tell, in the same step, that a tablet's leased units wait for its report or
     * an admin's settlement, and that its actions made after this instant are refused.
     */
    revokedDevices: `${p}revoked-devices`,
    /** Which server instance projects this store's numbers into its document (a short lock). */
    projectionLeader: `${p}projection-leader`,
    /** The audit stream: the log and the feed of every scarce change at this store. */
    audit: storeAuditStream(storeId),
    hold: (holdId: string) => `${p}hold:${holdId}`,
    /** sku -> units a device holds in escrow. */
    lease: (deviceId: string) => `${p}lease:${deviceId}`,
    /** sku -> ms when the device's lease ends. */
    leaseUntil: (deviceId: string) => `${p}lease-until:${deviceId}`,
    /** Marks one offline action as applied, so a resent report applies it once. */
    leaseAction: (actionId: string) => `${p}lease-action:${actionId}`,
    idempotency: (key: string) => `${p}idem:${key}`,
  };
}
export type StoreKeys = Readonly<ReturnType<typeof namesOf>>;

/** Stores whose names are kept built: more than any retailer has, so the map stays small. */
const KEPT_STORES = 1_000;
const built = new Map<string, StoreKeys>();

/** A store's key names (built once per store: a hold asks for them several times). */
export function storeKeys(storeId: string): StoreKeys {
  let keys = built.get(storeId);
  if (keys === undefined) {
    keys = namesOf(storeId);
    // Ids come from requests too (a store that does not exist): never let them pile up.
    if (built.size >= KEPT_STORES) built.clear();
    built.set(storeId, keys);
  }
  return keys;
}

/** The keys prelude.lua's stock helpers use (stock_of, record_shortfall, sweep_expired_holds...). */
export const STOCK_CORE_ROLES = [
  'audit',
  'catalog',
  'stock',
  'shortfalls',
  'holdExpiry',
  'holdsOpen',
] as const;
export type StockCoreRole = (typeof STOCK_CORE_ROLES)[number];

/** The core keys of a store, by role, for a script built on the prelude's stock helpers. */
export function stockCoreKeys(k: StoreKeys): Record<StockCoreRole, string> {
  return {
    audit: k.audit,
    catalog: k.catalog,
    stock: k.stock,
    shortfalls: k.shortfalls,
    holdExpiry: k.holdExpiry,
    holdsOpen: k.holdsOpen,
  };
}
