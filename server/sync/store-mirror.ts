import * as Y from 'yjs';
import { PRODUCTS_MAP, STOCK_KEY_PREFIX } from '../../shared/store-doc.ts';
import { addDays, dateInZone, zonedTimeToEpochMs } from '../../shared/time.ts';
import { listStoreBookings } from '../appointments/bookings.ts';
import { listEvents } from '../appointments/events.ts';
import type { Deps } from '../deps.ts';
import { readStockOf, type StreamEntry, storeAuditStream, watchStream } from '../mirror/store-view.ts';
import { eventPrefix, storePrefix } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { listOpenHolds } from '../stock/holds.ts';
import { readStore } from '../stock/stores.ts';
import { docKeys } from './doc-store.ts';
import type { LiveDocument } from './live-document.ts';

const leaseScript = scriptAt('mirror-lease', import.meta.url);

/** One instance per store mirrors; if it dies, another takes over within this long. */
const MIRROR_LEASE_MS = 3_000;
const MIRROR_LEASE_RENEW_MS = 1_000;
/** Changes arriving within this window are mirrored together. */
const MIRROR_DEBOUNCE_MS = 25;

export interface StoreMirrorOptions {
  deps: Deps;
  document: LiveDocument;
  instanceId: string;
  onError: (error: unknown) => void;
  /** How often to look for events created since (their bookings are mirrored too). */
  eventCheckMs: number;
}

export interface StoreMirror {
  /** Resolves once the first mirror is stored (or this instance is not the one mirroring). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps a live store document in step with Redis, both ways:
 * - into `scarce` (server-view.ts): each product's numbers, the open pickup holds and the
 *   bookings of today and tomorrow, rewritten when the store's or an event's audit stream says
 *   they changed (DESIGN: the scarce plane is mirrored read-only to tablets). One instance per
 *   store does it, holding a lease in Redis, so several instances do not write the same
 *   numbers twice; the others receive them through Redis like any update.
 * - products the admin imported are added to the document (never overwriting staff edits), and
 *   staff edits of a product's name, category and price label go back to the public catalog.
 */
export function startStoreMirror(options: StoreMirrorOptions): StoreMirror {
  const { deps, document, instanceId, onError } = options;
  const { storeId } = document;
  const leaseKey = docKeys(storeId).mirrorOwner;
  let leading = false;
  let stopped = false;
  let pendingSkus: Set<string> | 'all' = 'all';
  let refreshLists = true;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let mirroring: Promise<void> = Promise.resolve();
  const stopWatchers: (() => void)[] = [];
  const watchedEvents = new Set<string>();

  const products = document.doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
  const onProductsChanged = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    if (!document.isTabletOrigin(transaction.origin)) return;
    const skus = new Set<string>();
    for (const event of events) {
      if (event.path.length > 0) skus.add(String(event.path[0]));
      else for (const key of event.changes.keys.keys()) skus.add(key);
    }
    writeBackCatalog(skus).catch(onError);
  };
  products.observeDeep(onProductsChanged);

  /** Staff edits of names and categories reach the public product list (the CRDT is their authority). */
  async function writeBackCatalog(skus: Set<string>): Promise<void> {
    const fields: string[] = [];
    for (const sku of skus) {
      const entry = products.get(sku);
      const name = entry?.get('name');
      if (!entry || !name) continue;
      const catalogEntry = {
        name,
        category: entry.get('category') ?? '',
        priceLabel: entry.get('priceLabel') ?? '',
      };
      fields.push(sku, JSON.stringify(catalogEntry));
    }
    if (fields.length > 0) await deps.redis.hset(`${storePrefix(storeId)}catalog`, ...fields);
  }

  function mirrorSoon(): void {
    debounce ??= setTimeout(() => {
      debounce = undefined;
      void mirrorNow();
    }, MIRROR_DEBOUNCE_MS);
  }

  /** Runs one mirror after any running one. */
  function mirrorNow(): Promise<void> {
    mirroring = mirroring.then(mirror).catch((error: unknown) => {
      pendingSkus = 'all';
      refreshLists = true;
      onError(error);
    });
    return mirroring;
  }

  function onStreamEntries(entries: StreamEntry[]): void {
    for (const { type, data } of entries) {
      if (data.storeId !== undefined && data.storeId !== storeId) continue;
      if (type.startsWith('hold.') || type.startsWith('booking.')) refreshLists = true;
      if (type === 'catalog.imported') pendingSkus = 'all';
      else if (typeof data.sku === 'string' && pendingSkus !== 'all') pendingSkus.add(data.sku);
    }
    mirrorSoon();
  }

  /** Follows the audit stream of every event not followed yet (events can be created at any time). */
  async function watchNewEvents(): Promise<void> {
    for (const event of await listEvents(deps)) {
      if (!leading || stopped || watchedEvents.has(event.id)) continue;
      watchedEvents.add(event.id);
      stopWatchers.push(watchStream(deps.redis, `${eventPrefix(event.id)}audit`, onStreamEntries, onError));
      // Bookings made before the watch began are mirrored too.
      refreshLists = true;
      mirrorSoon();
    }
  }

  function stopWatching(): void {
    for (const stop of stopWatchers.splice(0)) stop();
    watchedEvents.clear();
  }

  async function mirror(): Promise<void> {
    if (!leading || stopped) return;
    const all = pendingSkus === 'all';
    const skus = pendingSkus === 'all' ? undefined : [...pendingSkus];
    const withLists = refreshLists;
    pendingSkus = new Set();
    refreshLists = false;
    if (all) await seedCatalog();
    const values = new Map<string, unknown>();
    if (skus === undefined || skus.length > 0) {
      for (const [sku, view] of Object.entries(await readStockOf(deps, storeId, skus)))
        values.set(`${STOCK_KEY_PREFIX}${sku}`, view);
    }
    if (withLists) {
      const holds = await listOpenHolds(deps, storeId);
      values.set('holds', Object.fromEntries(holds.map((h) => [h.id, h])));
      const timeZone = (await readStore(deps, storeId))?.timeZone ?? 'UTC';
      const today = dateInZone(Date.now(), timeZone);
      const from = zonedTimeToEpochMs(today, '00:00', timeZone);
      const to = zonedTimeToEpochMs(addDays(today, 2), '00:00', timeZone);
      const bookings = await listStoreBookings(deps, storeId, from, to);
      values.set('bookings', Object.fromEntries(bookings.map((b) => [b.id, b])));
    }
    values.set('asOf', Date.now());
    if (stopped) return;
    await document.writeView((view) => {
      for (const [key, value] of values) view.set(key, value);
      if (!all) return;
      for (const key of view.keys())
        if (key.startsWith(STOCK_KEY_PREFIX) && !values.has(key)) view.delete(key);
    });
  }

  /** Puts products the admin imported into the document. */
  async function seedCatalog(): Promise<void> {
    const catalog = await deps.redis.hgetall(`${storePrefix(storeId)}catalog`);
    const missing = Object.entries(catalog).filter(([sku]) => !products.has(sku));
    if (missing.length === 0 || stopped) return;
    await document.change(() => {
      for (const [sku, json] of missing) {
        if (products.has(sku)) continue;
        const entry = new Y.Map<string>();
        for (const [field, value] of Object.entries(JSON.parse(json) as Record<string, unknown>))
          entry.set(field, String(value));
        products.set(sku, entry);
      }
    });
  }

  /** Takes or keeps the lease; the instance that takes it mirrors everything at once. */
  async function holdLease(): Promise<void> {
    const held = (await leaseScript.run(deps.redis, [leaseKey], [instanceId, MIRROR_LEASE_MS, 'hold'])) === 1;
    if (stopped || held === leading) return;
    leading = held;
    if (!held) {
      stopWatching();
      return;
    }
    pendingSkus = 'all';
    refreshLists = true;
    stopWatchers.push(watchStream(deps.redis, storeAuditStream(storeId), onStreamEntries, onError));
    await watchNewEvents();
    await mirrorNow();
  }

  const ready = holdLease().catch(onError);
  const leaseTimer = setInterval(() => void holdLease().catch(onError), MIRROR_LEASE_RENEW_MS);
  const eventTimer = setInterval(() => {
    if (leading) void watchNewEvents().catch(onError);
  }, options.eventCheckMs);
  leaseTimer.unref();
  eventTimer.unref();

  return {
    ready,
    async stop() {
      stopped = true;
      clearInterval(leaseTimer);
      clearInterval(eventTimer);
      if (debounce) clearTimeout(debounce);
      stopWatching();
      products.unobserveDeep(onProductsChanged);
      await mirroring;
      if (leading) await leaseScript.run(deps.redis, [leaseKey], [instanceId, MIRROR_LEASE_MS, 'release']);
    },
  };
}
