import * as Y from 'yjs';
import { bookingIdOf, holdIdOf, skusOf } from '../../shared/audit-events.ts';
import { isHoldOpen } from '../../shared/hold-steps.ts';
import { isScarceKey, SCARCE_VERSION, scarceKeys } from '../../shared/scarce.ts';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';
import { addDays, dateInZone, nextMidnight, zonedTimeToEpochMs } from '../../shared/time.ts';
import { listStoreBookings } from '../appointments/bookings.ts';
import { listEvents } from '../appointments/events.ts';
import { readStaffBookings } from '../appointments/staff-reads.ts';
import type { Subscription } from '../audit/hub.ts';
import { type AuditEntry, eventAuditStream, storeAuditStream } from '../audit/streams.ts';
import type { Deps } from '../deps.ts';
import { scriptAt } from '../redis/lua-script.ts';
import { listOpenHolds } from '../stock/holds.ts';
import { storeKeys } from '../stock/keys.ts';
import { readStaffHolds, readStockOf } from '../stock/staff-reads.ts';
import { readStore } from '../stock/stores.ts';
import type { ServerViewWriter } from './server-view.ts';

const leaderLock = scriptAt('leader-lock', import.meta.url);

/** One instance per store projects; if it dies, another takes over within this long. */
const LEADER_LOCK_MS = 3_000;
const LEADER_RENEW_MS = 1_000;
/** Changes arriving within this window are applied together. */
const APPLY_DEBOUNCE_MS = 25;
/** The bookings window moves at the store's midnight; a rebuild then, and at least this often. */
const MAX_REBUILD_INTERVAL_MS = 60 * 60_000;

/** What the projection needs of a live store document and its `scarce` region (store-sync.ts). */
export interface ProjectedDocument {
  readonly storeId: string;
  readonly doc: Y.Doc;
  isTabletOrigin(origin: unknown): boolean;
  writeView(fn: (view: ServerViewWriter) => void): Promise<boolean>;
  change(fn: (doc: Y.Doc) => void): Promise<void>;
}

export interface StoreProjectionOptions {
  deps: Deps;
  document: ProjectedDocument;
  instanceId: string;
  onError: (error: unknown) => void;
  /** How often to look for events created since (their bookings are projected too). */
  eventCheckMs: number;
}

export interface StoreProjection {
  /** Resolves once the first rebuild is stored (or this instance is not the one projecting). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The bookings the document shows: today and tomorrow in the store's zone. */
interface BookingsWindow {
  from: number;
  to: number;
  timeZone: string;
}

/**
 * How long until the next rebuild: the store's next midnight, when the bookings window moves
 * (23 or 25 hours after the last one on the days the clocks change), at least 1 s and at most
 * MAX_REBUILD_INTERVAL_MS away.
 */
export function rebuildDelayMs(now: number, timeZone: string): number {
  return Math.min(Math.max(nextMidnight(now, timeZone) - now, 1_000), MAX_REBUILD_INTERVAL_MS);
}

/** What the audit entries since the last apply touched. */
interface Touched {
  rebuild: boolean;
  skus: Set<string>;
  holds: Set<string>;
  bookings: Set<string>;
}

const nothingTouched = (): Touched => ({
  rebuild: false,
  skus: new Set(),
  holds: new Set(),
  bookings: new Set(),
});

/**
 * Keeps a live store document in step with Redis, both ways:
 * - into `scarce` (shared/scarce.ts): each product's numbers, the open pickup holds and the
 *   bookings of today and tomorrow (store time). Each audit entry names what it changed (a
 *   sku, a hold, a booking); only that is read again and rewritten, one key each. A full
 *   rebuild runs when this instance starts projecting, when a stream lost entries, and when
 *   the bookings window moves at the store's midnight. One instance per store projects,
 *   holding a lock in Redis; the others receive its writes through Redis like any update.
 * - products the admin imported are added to `products` (never overwriting staff edits), and
 *   staff edits of a product's name, category and price label go back to the public catalog.
 */
export function startStoreProjection(options: StoreProjectionOptions): StoreProjection {
  const { deps, document, instanceId, onError } = options;
  const { storeId } = document;
  const keys = storeKeys(storeId);
  const lockKey = keys.projectionLeader;
  let leading = false;
  let stopped = false;
  let touched: Touched = { ...nothingTouched(), rebuild: true };
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  let applying: Promise<void> = Promise.resolve();
  const subscriptions = new Map<string, Subscription>();
  /** The bookings shown (today and tomorrow, store time), set by each rebuild. */
  let shownBookings: BookingsWindow = { from: 0, to: 0, timeZone: 'UTC' };

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
    if (fields.length > 0) await deps.redis.hset(keys.catalog, ...fields);
  }

  function applySoon(): void {
    debounce ??= setTimeout(() => {
      debounce = undefined;
      void applyNow();
    }, APPLY_DEBOUNCE_MS);
  }

  /** Runs one apply after any running one. */
  function applyNow(): Promise<void> {
    applying = applying.then(apply).catch((error: unknown) => {
      touched.rebuild = true;
      onError(error);
    });
    return applying;
  }

  function onEntries(entries: AuditEntry[]): void {
    for (const event of entries) {
      // A booking's entry on an event's stream names its store; a store's own entries are its.
      if (event.storeId !== undefined && event.storeId !== storeId) continue;
      if (event.type === 'catalog.imported') touched.rebuild = true;
      for (const sku of skusOf(event)) touched.skus.add(sku);
      const holdId = holdIdOf(event);
      if (holdId) touched.holds.add(holdId);
      const bookingId = bookingIdOf(event);
      if (bookingId) touched.bookings.add(bookingId);
    }
    applySoon();
  }

  const subscriber = {
    onEntries,
    onGap: () => {
      touched.rebuild = true;
      applySoon();
    },
  };

  function follow(stream: string, after?: string): Promise<void> {
    if (subscriptions.has(stream)) return Promise.resolve();
    const subscription = deps.hub.subscribe(stream, subscriber, after === undefined ? {} : { after });
    subscriptions.set(stream, subscription);
    return subscription.ready;
  }

  function unfollowAll(): void {
    for (const subscription of subscriptions.values()) subscription.unsubscribe();
    subscriptions.clear();
  }

  /** Follows the stream of every event not followed yet; an event seen after start is read from its beginning. */
  async function followNewEvents(fromStart: boolean): Promise<void> {
    const events = await listEvents(deps);
    if (!leading || stopped) return;
    await Promise.all(
      events.map((event) => follow(eventAuditStream(event.id), fromStart ? undefined : '0-0')),
    );
  }

  async function apply(): Promise<void> {
    if (!leading || stopped) return;
    const work = touched;
    touched = nothingTouched();
    if (work.rebuild) return rebuild();
    const [stock, holds, bookings] = await Promise.all([
      work.skus.size > 0 ? readStockOf(deps, storeId, [...work.skus]) : {},
      readStaffHolds(deps, storeId, [...work.holds]),
      readStaffBookings(deps, [...work.bookings]),
    ]);
    if (stopped) return;
    await document.writeView((view) => {
      for (const [sku, numbers] of Object.entries(stock)) view.set(scarceKeys.stock(sku), numbers);
      for (const id of work.holds) view.delete(scarceKeys.hold(id));
      for (const hold of holds) if (isHoldOpen(hold.status)) view.set(scarceKeys.hold(hold.id), hold);
      for (const id of work.bookings) view.delete(scarceKeys.booking(id));
      for (const booking of bookings) {
        const shown =
          booking.storeId === storeId &&
          booking.status !== 'cancelled' &&
          booking.startsAt >= shownBookings.from &&
          booking.startsAt < shownBookings.to;
        if (shown) view.set(scarceKeys.booking(booking.id), booking);
      }
      view.set(scarceKeys.asOf, deps.clock.now());
    });
  }

  /** Today and tomorrow in the store's time zone, as ms. */
  async function bookingsWindow(): Promise<BookingsWindow> {
    const timeZone = (await readStore(deps, storeId))?.timeZone ?? 'UTC';
    const today = dateInZone(deps.clock.now(), timeZone);
    return {
      from: zonedTimeToEpochMs(today, '00:00', timeZone),
      to: zonedTimeToEpochMs(addDays(today, 2), '00:00', timeZone),
      timeZone,
    };
  }

  /** Everything from Redis: on start, after lost entries, and when the day changes. */
  async function rebuild(): Promise<void> {
    await seedCatalog();
    const window = await bookingsWindow();
    shownBookings = window;
    const [stock, holds, bookings] = await Promise.all([
      readStockOf(deps, storeId),
      listOpenHolds(deps, storeId),
      listStoreBookings(deps, storeId, window.from, window.to),
    ]);
    if (stopped) return;
    const values = new Map<string, unknown>();
    for (const [sku, numbers] of Object.entries(stock)) values.set(scarceKeys.stock(sku), numbers);
    for (const hold of holds) if (isHoldOpen(hold.status)) values.set(scarceKeys.hold(hold.id), hold);
    for (const booking of bookings) values.set(scarceKeys.booking(booking.id), booking);
    values.set(scarceKeys.version, SCARCE_VERSION);
    values.set(scarceKeys.asOf, deps.clock.now());
    await document.writeView((view) => {
      for (const [key, value] of values) view.set(key, value);
      // Keys of what no longer exists, and of an older layout, go.
      for (const key of view.keys()) if (!values.has(key) || !isScarceKey(key)) view.delete(key);
    });
    scheduleRebuild(window.timeZone);
  }

  function scheduleRebuild(timeZone: string): void {
    if (rebuildTimer) clearTimeout(rebuildTimer);
    rebuildTimer = setTimeout(
      () => {
        touched.rebuild = true;
        void applyNow();
      },
      rebuildDelayMs(deps.clock.now(), timeZone),
    );
    rebuildTimer.unref();
  }

  /** Puts products the admin imported into the document. */
  async function seedCatalog(): Promise<void> {
    const catalog = await deps.redis.hgetall(keys.catalog);
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

  /** Takes or keeps the lock; the instance that takes it follows the streams and rebuilds. */
  async function holdLock(): Promise<void> {
    const held = (await leaderLock.run(deps.redis, [lockKey], [instanceId, LEADER_LOCK_MS, 'hold'])) === 1;
    if (stopped || held === leading) return;
    leading = held;
    if (!held) {
      unfollowAll();
      return;
    }
    // Follow first, then read everything: a change in between is applied twice, which is harmless.
    await follow(storeAuditStream(storeId));
    await followNewEvents(true);
    touched.rebuild = true;
    await applyNow();
  }

  const ready = holdLock().catch(onError);
  const lockTimer = setInterval(() => void holdLock().catch(onError), LEADER_RENEW_MS);
  const eventTimer = setInterval(() => {
    if (leading) void followNewEvents(false).catch(onError);
  }, options.eventCheckMs);
  lockTimer.unref();
  eventTimer.unref();

  return {
    ready,
    async stop() {
      stopped = true;
      clearInterval(lockTimer);
      clearInterval(eventTimer);
      if (debounce) clearTimeout(debounce);
      if (rebuildTimer) clearTimeout(rebuildTimer);
      unfollowAll();
      products.unobserveDeep(onProductsChanged);
      await applying;
      if (leading) await leaderLock.run(deps.redis, [lockKey], [instanceId, LEADER_LOCK_MS, 'release']);
    },
  };
}
