import type * as Y from 'yjs';
import type { BookingView } from '../../shared/api/bookings.ts';
import type { StaffHold } from '../../shared/api/holds.ts';
import type { DeviceStatus } from '../../shared/api/status.ts';
import type { LeaseList, LeaseView, StockView } from '../../shared/api/stock.ts';
import { ERROR_MESSAGES, type ErrorCode } from '../../shared/errors.ts';
import { newUlid } from '../../shared/ids.ts';
import type { StoreHours } from '../../shared/opening-hours.ts';
import type { ScarcePlane } from '../../shared/scarce.ts';
import { CHECKINS_MAP, type CheckinMark, type ProductField } from '../../shared/store-doc.ts';
import { createSend, getJson } from './api.ts';
import { acknowledgementsDue } from './auto-acknowledge.ts';
import type { HoldStepName } from './commands.ts';
import type { Enrollment, LocalLease, MetaRecord, OutboxEntry, TabletDb } from './db.ts';
import { requestEnrollment } from './enrollment.ts';
import { closeFromAudit, HOLD_LOG_KEEP_MS, type HoldLogRecord, updateHoldLog } from './hold-log.ts';
import { confirmLease, leasePolicyActions } from './lease-keeper.ts';
import {
  checkOfflineSale,
  type OfflineAllowance,
  type OfflineSaleCheck,
  offlineAllowance,
} from './lease-policy.ts';
import { type LocalStock, localStock } from './local-stock.ts';
import { type NewAction, Outbox, type Send } from './outbox.ts';
import {
  type Delivery,
  deliverOfflineSales,
  eraseAfterRevocation,
  holdBackOfflineSales,
  isLeaseReport,
} from './revoked-tablet.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { StatusReporter } from './status-reporter.ts';
import { type ConnectionState, type SocketParams, StoreConnection } from './store-connection.ts';
import { editProduct, openStoreDoc, readScarcePlaneOf } from './store-doc.ts';
import { createTimers, type Timers } from './timers.ts';
import { type UnsyncedEdit, UnsyncedEdits } from './unsynced-edits.ts';

const FLUSH_INTERVAL_MS = 2_000;
/** Removed, how often a tablet tries again to deliver its offline sales (and at once when the network returns). */
const DELIVERY_RETRY_MS = 15_000;
const LEASE_POLICY_INTERVAL_MS = 60_000;
/** Online, how long an action waits for the server's answer before the screen says "queued". */
export const ANSWER_WAIT_MS = 5_000;

export type SyncState = ConnectionState;

/** The store as staff know it: its name for the header and its zone for every time shown. */
export interface StoreInfo {
  name: string;
  timeZone: string;
  /** Its opening hours once an admin set them (issue 21): today's are in the header. */
  hours?: StoreHours;
}

export interface TabletSnapshot {
  enrollment: Enrollment | undefined;
  sync: SyncState;
  /** When the store's document was last in sync with the server; survives reloads. */
  lastSyncedAt: number | undefined;
  pending: OutboxEntry[];
  /** Product details edited while not in sync: they wait to sync too (issue 15 §7). */
  unsyncedEdits: UnsyncedEdit[];
  failed: OutboxEntry[];
  leases: Record<string, LocalLease>;
  store: StoreInfo | undefined;
  /** Holds this tablet saw, open and closed (the pickup queue's "done today"). */
  holdLog: HoldLogRecord[];
  /** Bumped on every document change, so views re-read the document. */
  docVersion: number;
  revoked: boolean;
  /** Once removed: sending its offline sales with the report-only credential, or what that did. */
  delivery: 'sending' | (Delivery & { at: number }) | undefined;
}

export type { StaffHold };
export type StaffBooking = BookingView & {
  customer: { name: string; email?: string; phone?: string };
  eventName?: string;
};

/** What became of an action, for the screen to say in place (issue 8.2). */
export type ActionOutcome =
  | { kind: 'done' }
  | {
      kind: 'refused';
      code: ErrorCode;
      message: string;
      details?: Record<string, unknown>;
      seenAvailable?: number;
    }
  /** Saved on the tablet; sent when the server can be reached (offline, or no answer in time). */
  | { kind: 'queued'; offline: boolean }
  /** Not even queued: offline beyond what this tablet keeps. */
  | { kind: 'not-allowed'; reason: string; remaining: number };

export interface TabletOptions {
  WebSocketPolyfill?: unknown;
  isOnline?: () => boolean;
  timers?: Timers;
  now?: () => number;
}

/**
 * The staff app's session: wires the collaborators (outbox, store connection, lease rule,
 * status reporter, auto-acknowledge) and is the React store the screens read. Every action
 * goes through the outbox (IndexedDB first); reads come from the store document, on disk too.
 */
export class Tablet {
  private readonly store: SnapshotStore<TabletSnapshot>;
  private readonly outbox: Outbox;
  private readonly send: Send;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly reporter: StatusReporter;
  private doc: Y.Doc | undefined;
  private closeDoc: (() => void) | undefined;
  private connection: StoreConnection | undefined;
  private readonly acknowledged = new Set<string>();
  private readonly waiting = new Map<string, (outcome: ActionOutcome) => void>();
  private holdLogWork: Promise<void> = Promise.resolve();
  private scarceCache: { doc: Y.Doc; version: number; plane: ScarcePlane } | undefined;
  private readonly unsyncedEdits: UnsyncedEdits;
  private stopDelivering: (() => void) | undefined;

  constructor(
    private readonly db: TabletDb,
    private readonly baseUrl: string,
    appVersion: string,
    private readonly options: TabletOptions = {},
  ) {
    this.timers = options.timers ?? createTimers();
    this.unsyncedEdits = new UnsyncedEdits(db);
    this.now = options.now ?? Date.now;
    this.store = new SnapshotStore<TabletSnapshot>({
      enrollment: undefined,
      sync: 'offline',
      lastSyncedAt: undefined,
      pending: [],
      unsyncedEdits: [],
      failed: [],
      leases: {},
      store: undefined,
      holdLog: [],
      docVersion: 0,
      revoked: false,
      delivery: undefined,
    });
    this.send = createSend(baseUrl, () => this.store.get().enrollment);
    this.outbox = new Outbox(db, this.send, this.now);
    this.outbox.onEvent((event) => {
      if (event.type === 'revoked') this.connection?.removed();
      if (event.type === 'sent') {
        this.settle(event.entry, { kind: 'done' });
        void this.afterSent(event.entry, event.body);
      }
      if (event.type === 'failed') void this.afterFailed(event.entry);
      void this.refreshOutbox();
    });
    this.reporter = new StatusReporter({
      timers: this.timers,
      now: this.now,
      connected: () => this.isOnline(),
      read: () => {
        const s = this.store.get();
        if (!s.enrollment) return undefined;
        return {
          appVersion,
          pending: s.pending,
          failed: s.failed,
          lastSyncedAt: s.lastSyncedAt,
          connection: s.sync,
        };
      },
      send: (report) => this.sendStatus(report),
    });
  }

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): TabletSnapshot => this.store.get();

  get document(): Y.Doc | undefined {
    return this.doc;
  }

  /** Loads what the tablet knows from IndexedDB, then connects if it is enrolled. */
  async start(): Promise<void> {
    const [enrollment, sync, store, removed] = await Promise.all([
      this.db.enrollment.get('self'),
      this.db.meta.get('sync'),
      this.db.meta.get('store'),
      this.db.meta.get('removed'),
    ]);
    this.update({
      enrollment,
      lastSyncedAt: sync?.key === 'sync' ? sync.lastSyncedAt : undefined,
      store:
        store?.key === 'store'
          ? { name: store.name, timeZone: store.timeZone, ...(store.hours ? { hours: store.hours } : {}) }
          : undefined,
    });
    await this.refreshOutbox();
    this.update({ unsyncedEdits: await this.unsyncedEdits.load() });
    await this.refreshLeasesFromDisk();
    const cutoff = this.now() - HOLD_LOG_KEEP_MS;
    await this.db.holdLog.filter((r) => (r.closedAt ?? this.now()) < cutoff).delete();
    this.update({ holdLog: await this.db.holdLog.toArray() });
    if (enrollment && removed) {
      // Removed before this reload (issue 15 §1): no store to open, only offline sales to deliver.
      this.update({ sync: 'removed', revoked: true });
      this.keepDelivering();
    } else if (enrollment) await this.connect(enrollment);
  }

  /** Trades an admin's one-time code for this tablet's credential; what is unsent stays queued. */
  async enroll(code: string, deviceName: string): Promise<void> {
    const enrollment = await requestEnrollment(this.baseUrl, code, deviceName, this.now());
    const previous = this.store.get().enrollment;
    // Offline sales made under the removed enrollment belong to its lease: delivered with its
    // credential first, never under the new one (issue 15 §1).
    if (previous && this.store.get().revoked) {
      await this.deliverOfflineSales();
      await holdBackOfflineSales(this.db, this.now());
    }
    await this.db.enrollment.put(enrollment);
    await this.db.meta.delete('removed');
    if (previous && previous.storeId !== enrollment.storeId) await this.db.meta.delete('store');
    this.disconnect();
    this.update({ enrollment, revoked: false, delivery: undefined });
    await this.connect(enrollment);
  }

  stop(): void {
    this.timers.stopAll();
    this.disconnect();
  }

  isOnline(): boolean {
    const browserOnline = this.options.isOnline?.() ?? (typeof navigator === 'undefined' || navigator.onLine);
    const state = this.store.get().sync;
    return browserOnline && state !== 'offline' && state !== 'removed';
  }

  // --- reads ---

  /**
   * The server's part of the document, parsed once per document change: a screen reads it
   * per row, and parsing 10,000 products per row made a keystroke take half a second.
   */
  private scarce(): ScarcePlane | undefined {
    if (!this.doc) return undefined;
    const version = this.store.get().docVersion;
    if (this.scarceCache?.doc !== this.doc || this.scarceCache.version !== version)
      this.scarceCache = { doc: this.doc, version, plane: readScarcePlaneOf(this.doc) };
    return this.scarceCache.plane;
  }

  stock(): Record<string, StockView> {
    return this.scarce()?.stock ?? {};
  }

  /** The server's numbers for a product with this tablet's unsent changes on top (issue 8.6). */
  localStock(sku: string): LocalStock | undefined {
    const confirmed = this.stock()[sku];
    return confirmed && localStock(confirmed, this.store.get().pending);
  }

  holds(): StaffHold[] {
    const holds: Record<string, StaffHold> = this.scarce()?.holds ?? {};
    return Object.values(holds).sort((a, b) => a.createdAt - b.createdAt);
  }

  bookings(): StaffBooking[] {
    return Object.values(this.scarce()?.bookings ?? {});
  }

  scarceAsOf(): number | undefined {
    return this.scarce()?.asOf;
  }

  /** Units this tablet already used offline from its lease, still waiting to be reported. */
  usedOffline(sku: string): number {
    return this.store
      .get()
      .pending.filter((e) => e.leaseUse?.sku === sku)
      .reduce((sum, e) => sum + (e.leaseUse?.quantity ?? 0), 0);
  }

  /** How many more units this tablet may sell offline, and until when. */
  allowance(sku: string): OfflineAllowance {
    return offlineAllowance(this.store.get().leases[sku], this.usedOffline(sku), this.now());
  }

  checkSale(sku: string, quantity: number): OfflineSaleCheck {
    return checkOfflineSale(this.store.get().leases[sku], this.usedOffline(sku), quantity, this.now());
  }

  // --- actions ---

  receive(sku: string, quantity: number): Promise<ActionOutcome> {
    return this.actAndWait({
      command: { name: 'stock.receive', args: { sku, quantity } },
      label: `Receive ${quantity} × ${sku}`,
    });
  }

  count(sku: string, counted: number, lastSeen: number, reason?: string): Promise<ActionOutcome> {
    return this.actAndWait({
      command: { name: 'stock.count', args: { sku, counted, lastSeen, ...(reason ? { reason } : {}) } },
      label: `Count ${sku}: ${counted} on the shelf`,
    });
  }

  /**
   * Sells or writes off. Online the server decides, and the answer is awaited briefly so the
   * screen shows what happened; offline only inside this tablet's lease (DESIGN rule 3).
   */
  async remove(
    kind: 'sale' | 'write_off',
    sku: string,
    quantity: number,
    reason?: string,
  ): Promise<ActionOutcome> {
    const verb = kind === 'sale' ? 'Sell' : 'Write off';
    const reasonPart = reason ? { reason } : {};
    if (this.isOnline()) {
      const seen = this.localStock(sku)?.available;
      return this.actAndWait({
        ...(seen === undefined ? {} : { seenAvailable: seen }),
        command:
          kind === 'sale'
            ? { name: 'stock.sell', args: { sku, quantity } }
            : { name: 'stock.write-off', args: { sku, quantity, ...reasonPart } },
        label: `${verb} ${quantity} × ${sku}`,
      });
    }
    const check = this.checkSale(sku, quantity);
    if (!check.ok) return { kind: 'not-allowed', reason: check.reason, remaining: check.remaining };
    const action = { id: newUlid(), kind, quantity, at: this.now(), ...reasonPart };
    await this.act({
      command: { name: 'lease.report', args: { sku, actions: [action], returnQuantity: 0 } },
      label: `${verb} ${quantity} × ${sku} (offline, from this tablet’s allowance)`,
      leaseUse: { sku, quantity },
    });
    return { kind: 'queued', offline: true };
  }

  /** Keeps units on this tablet for offline selling, by hand: the automatic rule leaves them be. */
  keepForOffline(sku: string, quantity: number): Promise<ActionOutcome> {
    return this.actAndWait({
      command: { name: 'lease.take', args: { sku, quantity } },
      label: `Keep ${quantity} × ${sku} for offline selling`,
      leaseBy: 'staff',
    });
  }

  /** Gives back what this tablet keeps of a product (by hand and automatic alike). */
  async giveBack(sku: string): Promise<ActionOutcome> {
    const quantity = Math.max(0, (this.store.get().leases[sku]?.quantity ?? 0) - this.usedOffline(sku));
    if (quantity === 0) return { kind: 'done' };
    return this.actAndWait({
      command: { name: 'lease.report', args: { sku, actions: [], returnQuantity: quantity } },
      label: `Give back ${quantity} × ${sku} kept for offline selling`,
      leaseBy: 'staff',
    });
  }

  /** A step on a pickup hold; a refusal waits on the Sync tab (the queue shows the hold's new state). */
  async holdStep(holdId: string, step: HoldStepName, label: string): Promise<void> {
    await this.act({ command: { name: 'hold.step', args: { holdId, step } }, label });
  }

  /**
   * Check-in, no-show and their undo (status 'booked') work offline: the mark goes into the
   * document at once, the command into the outbox.
   */
  async markBooking(bookingId: string, status: CheckinMark['status'], label: string): Promise<void> {
    const enrollment = this.store.get().enrollment;
    if (this.doc && enrollment) {
      const mark: CheckinMark = { status, at: this.now(), deviceId: enrollment.deviceId };
      this.doc.getMap<CheckinMark>(CHECKINS_MAP).set(bookingId, mark);
    }
    const step = status === 'checked_in' ? 'check-in' : status === 'no_show' ? 'no-show' : 'undo';
    await this.act({ command: { name: 'booking.step', args: { bookingId, step } }, label });
  }

  editProduct(sku: string, field: ProductField, value: string): void {
    const enrollment = this.store.get().enrollment;
    if (!this.doc || !enrollment) return;
    const by = { deviceId: enrollment.deviceId, deviceName: enrollment.deviceName, at: this.now() };
    editProduct(this.doc, sku, field, value, by);
    // In sync, the socket carries the edit at once; otherwise it waits for the next sync.
    if (this.store.get().sync !== 'synced')
      void this.unsyncedEdits
        .add({ sku, field, at: by.at })
        .then((edits) => this.update({ unsyncedEdits: edits }))
        .catch((error: unknown) => console.warn('could not record an unsynced edit', error));
  }

  async dismissFailed(seq: number): Promise<void> {
    await this.outbox.dismiss(seq);
    await this.refreshOutbox();
  }

  async retryFailed(seq: number): Promise<void> {
    await this.outbox.retry(seq);
    await this.refreshOutbox();
    void this.outbox.flush();
  }

  /**
   * Removed by an admin (issue 15 §1): sends the offline sales and write-offs made before, with
   * the credential that now opens only the lease report. The server takes each once.
   */
  async deliverOfflineSales(): Promise<Delivery> {
    this.update({ delivery: 'sending' });
    const delivery = await deliverOfflineSales(this.db, this.send, this.now);
    this.update({ delivery: { ...delivery, at: this.now() } });
    await this.refreshOutbox();
    return delivery;
  }

  /** Sends what is queued now (also runs on a timer and when the network returns). */
  flush(): Promise<void> {
    return this.outbox.flush();
  }

  /** Everything not yet accepted by the server, as a file staff can keep (issue 8.4). */
  unsentExport(): string {
    const { enrollment, pending, failed } = this.store.get();
    return JSON.stringify(
      {
        exportedAt: new Date(this.now()).toISOString(),
        storeId: enrollment?.storeId,
        deviceId: enrollment?.deviceId,
        deviceName: enrollment?.deviceName,
        actions: [...pending, ...failed].map((e) => ({
          label: e.label,
          idempotencyKey: e.key,
          command: e.command,
          madeAt: new Date(e.createdAt).toISOString(),
          state: e.state,
          ...(e.error ? { error: `${e.error.code}: ${e.error.message}` } : {}),
        })),
      },
      null,
      2,
    );
  }

  // --- machinery ---

  private async act(action: NewAction): Promise<OutboxEntry> {
    const entry = await this.outbox.enqueue(action);
    await this.refreshOutbox();
    if (this.isOnline()) void this.outbox.flush();
    return entry;
  }

  /** Queues the action; online, waits up to ANSWER_WAIT_MS for the server's answer. */
  private async actAndWait(action: NewAction): Promise<ActionOutcome> {
    if (!this.isOnline()) {
      await this.act(action);
      return { kind: 'queued', offline: true };
    }
    let resolve: (outcome: ActionOutcome) => void = () => {};
    const answered = new Promise<ActionOutcome>((r) => {
      resolve = r;
    });
    const entry = await this.outbox.enqueue(action);
    this.waiting.set(entry.key, resolve);
    const cancel = this.timers.after(ANSWER_WAIT_MS, () => resolve({ kind: 'queued', offline: false }));
    await this.refreshOutbox();
    void this.outbox.flush();
    const outcome = await answered;
    cancel();
    this.waiting.delete(entry.key);
    return outcome;
  }

  private settle(entry: OutboxEntry, outcome: ActionOutcome): boolean {
    const resolve = this.waiting.get(entry.key);
    if (!resolve) return false;
    this.waiting.delete(entry.key);
    resolve(outcome);
    return true;
  }

  private async afterFailed(entry: OutboxEntry): Promise<void> {
    const error = entry.error;
    const code = error && error.code !== 'NETWORK' ? error.code : 'INTERNAL';
    const outcome: ActionOutcome = {
      kind: 'refused',
      code,
      message: error?.message ?? ERROR_MESSAGES[code],
      ...(error?.details ? { details: error.details } : {}),
      ...(entry.seenAvailable === undefined ? {} : { seenAvailable: entry.seenAvailable }),
    };
    // Shown in place to the person who acted: handled, so it does not also wait on the Sync tab.
    if (this.settle(entry, outcome) && entry.seq !== undefined) await this.dismissFailed(entry.seq);
    else this.reporter.changed();
  }

  private async connect(enrollment: Enrollment): Promise<void> {
    const { doc, close } = await openStoreDoc(this.db, enrollment.storeId);
    this.doc = doc;
    this.closeDoc = close;
    doc.on('update', () => {
      this.update({ docVersion: this.store.get().docVersion + 1 });
      this.acknowledgeNewHoldsAndBookings();
      this.logHolds((log) => updateHoldLog(log, this.holds(), this.now()));
    });
    this.update({ docVersion: this.store.get().docVersion + 1 });
    const connection = new StoreConnection(doc, {
      baseUrl: this.baseUrl,
      storeId: enrollment.storeId,
      socketParams: () => this.socketParams(),
      timers: this.timers,
      browserOnline: () =>
        this.options.isOnline?.() ?? (typeof navigator === 'undefined' || navigator.onLine),
      onState: (state) => {
        this.update({ sync: state, revoked: state === 'removed' });
        if (state === 'synced') void this.whenOnline();
        if (state === 'removed') queueMicrotask(() => void this.whenRemoved());
        this.reporter.changed();
      },
      onSynced: () => {
        void this.markSynced();
        void this.unsyncedEdits
          .clear()
          .then((edits) => this.update({ unsyncedEdits: edits }))
          .catch((error: unknown) => console.warn('could not clear the unsynced edits', error));
      },
      ...(this.options.WebSocketPolyfill ? { WebSocketPolyfill: this.options.WebSocketPolyfill } : {}),
      ...(typeof window !== 'undefined' ? { events: window } : {}),
    });
    this.connection = connection;
    this.timers.every(FLUSH_INTERVAL_MS, () => {
      if (this.isOnline()) void this.outbox.flush();
      if (this.store.get().sync === 'synced') void this.markSynced();
    });
    this.timers.every(LEASE_POLICY_INTERVAL_MS, () => void this.applyLeasePolicy());
    this.reporter.start();
    await connection.open();
  }

  private disconnect(): void {
    this.stopDelivering?.();
    this.stopDelivering = undefined;
    this.connection?.stop();
    this.connection = undefined;
    this.closeDoc?.();
    this.closeDoc = undefined;
    this.doc = undefined;
    this.timers.stopAll();
  }

  /**
   * An admin removed this tablet (issue 15 §1): it closes the store and erases what it knew of
   * it (customers' names and contacts included) but its own unsent actions, then delivers the
   * offline sales it may.
   */
  private async whenRemoved(): Promise<void> {
    this.disconnect();
    // A hold-log write already under way lands before the erase, not after it.
    await this.holdLogWork;
    await eraseAfterRevocation(this.db, this.now());
    // Edits of the store's document went with it: a removed tablet can no longer sync them.
    const unsyncedEdits = await this.unsyncedEdits.clear();
    this.update({ holdLog: [], leases: {}, unsyncedEdits, docVersion: this.store.get().docVersion + 1 });
    this.keepDelivering();
  }

  /** Delivers the offline sales now, again when the network returns, and now and then until none wait. */
  private keepDelivering(): void {
    const due = () => {
      const { revoked, delivery, pending } = this.store.get();
      const waiting = pending.some(isLeaseReport);
      if (revoked && waiting && delivery !== 'sending') void this.deliverOfflineSales();
    };
    void this.deliverOfflineSales();
    this.timers.every(DELIVERY_RETRY_MS, due);
    if (typeof window !== 'undefined') {
      window.addEventListener('online', due);
      this.stopDelivering = () => window.removeEventListener('online', due);
    }
  }

  /** A one-time ticket for the socket (issue 8.12): the credential itself never goes in a URL. */
  private async socketParams(): Promise<SocketParams> {
    const enrollment = this.store.get().enrollment;
    if (!enrollment) return 'revoked';
    try {
      const response = await fetch(`${this.baseUrl}/api/staff/${enrollment.storeId}/sync-ticket`, {
        method: 'POST',
        headers: { authorization: `Bearer ${enrollment.credential}` },
      });
      if (response.status === 401) return 'revoked';
      if (!response.ok) return 'unreachable';
      const { ticket } = (await response.json()) as { ticket: string };
      return { ticket };
    } catch (error) {
      console.warn('could not reach the server for a sync ticket', error);
      return 'unreachable';
    }
  }

  private async markSynced(): Promise<void> {
    const at = this.now();
    this.update({ lastSyncedAt: at });
    const record: MetaRecord = { key: 'sync', lastSyncedAt: at };
    await this.db.meta.put(record);
  }

  /** Applies a change to the hold log, one at a time, on disk and in the snapshot. */
  private logHolds(change: (log: HoldLogRecord[]) => HoldLogRecord[]): Promise<void> {
    this.holdLogWork = this.holdLogWork
      .then(async () => {
        // Removed: customers' names stay erased (issue 15 §1), whatever was still on its way.
        if (this.store.get().revoked) return;
        const changed = change(this.store.get().holdLog);
        if (changed.length === 0) return;
        await this.db.holdLog.bulkPut(changed);
        this.update({ holdLog: await this.db.holdLog.toArray() });
      })
      .catch((error: unknown) => console.warn('could not update the hold log', error));
    return this.holdLogWork;
  }

  /** Learns from the store's audit log how holds that left the queue ended (online only). */
  async refreshDoneHolds(): Promise<void> {
    const enrollment = this.store.get().enrollment;
    if (!enrollment || !this.isOnline()) return;
    try {
      const { entries } = await getJson<{
        entries: { type: string; at: number; data: { holdId?: string } }[];
      }>(this.baseUrl, `/api/staff/${enrollment.storeId}/audit?limit=500`, enrollment.credential);
      await this.logHolds((log) => closeFromAudit(log, entries));
    } catch (error) {
      console.warn('could not read the store’s audit log', error);
    }
  }

  private async whenOnline(): Promise<void> {
    await this.outbox.flush();
    await Promise.all([this.refreshLeasesFromServer(), this.refreshStoreInfo(), this.refreshDoneHolds()]);
    await this.reporter.report(true);
  }

  private acknowledgeNewHoldsAndBookings(): void {
    for (const action of acknowledgementsDue(this.holds(), this.bookings(), this.acknowledged)) {
      void this.act(action);
    }
  }

  private async afterSent(entry: OutboxEntry, body: unknown): Promise<void> {
    const { command } = entry;
    if (command.name === 'hold.step') {
      const hold = body as StaffHold | undefined;
      if (hold?.status === 'fulfilled' || hold?.status === 'cancelled') {
        const closedAs = hold.status;
        await this.logHolds((log) => {
          const before = log.find((r) => r.id === hold.id);
          return before ? [{ ...before, closedAs, closedAt: this.now() }] : [];
        });
      }
    }
    // Only what the server accepted is demand for the lease rule (issue 8.3).
    if (command.name === 'stock.sell' || command.name === 'lease.report') {
      const sold =
        command.name === 'stock.sell'
          ? command.args.quantity
          : command.args.actions.filter((a) => a.kind === 'sale').reduce((sum, a) => sum + a.quantity, 0);
      if (sold > 0) await this.db.sales.add({ sku: command.args.sku, quantity: sold, at: entry.createdAt });
    }
    const lease = (body as { lease?: LeaseView } | undefined)?.lease;
    if (lease && typeof lease.quantity === 'number') {
      const before = await this.db.leases.get(lease.sku);
      const change = {
        by: entry.leaseBy,
        took: command.name === 'lease.take' ? command.args.quantity : 0,
        gaveBack: command.name === 'lease.report' && command.args.returnQuantity > 0,
      };
      await this.db.leases.put(confirmLease(before, lease, change, this.now()));
      await this.refreshLeasesFromDisk();
    }
    this.reporter.changed();
  }

  private async applyLeasePolicy(): Promise<void> {
    if (!this.isOnline()) return;
    const available = Object.fromEntries(Object.entries(this.stock()).map(([sku, s]) => [sku, s.available]));
    const actions = leasePolicyActions({
      now: this.now(),
      sales: await this.db.sales.toArray(),
      leases: this.store.get().leases,
      available,
    });
    for (const action of actions) await this.act(action);
  }

  private async refreshLeasesFromServer(): Promise<void> {
    const enrollment = this.store.get().enrollment;
    if (!enrollment) return;
    try {
      const { leases } = await getJson<LeaseList>(
        this.baseUrl,
        `/api/staff/${enrollment.storeId}/leases`,
        enrollment.credential,
      );
      await this.db.transaction('rw', this.db.leases, async () => {
        const before = new Map((await this.db.leases.toArray()).map((l) => [l.sku, l]));
        await this.db.leases.clear();
        await this.db.leases.bulkPut(
          leases.map((l) =>
            confirmLease(before.get(l.sku), l, { by: undefined, took: 0, gaveBack: false }, this.now()),
          ),
        );
      });
      await this.refreshLeasesFromDisk();
    } catch (error) {
      // Offline again or refused: the leases on disk stay the tablet's best knowledge.
      console.warn('could not refresh leases', error);
    }
  }

  /** The store's name and time zone, kept on disk for offline reloads. */
  private async refreshStoreInfo(): Promise<void> {
    const enrollment = this.store.get().enrollment;
    if (!enrollment) return;
    try {
      const { store } = await getJson<{ store: StoreInfo | null }>(
        this.baseUrl,
        `/api/staff/${enrollment.storeId}/stock`,
        enrollment.credential,
      );
      if (!store) return;
      const info: StoreInfo = {
        name: store.name,
        timeZone: store.timeZone,
        ...(store.hours ? { hours: store.hours } : {}),
      };
      const record: MetaRecord = { key: 'store', ...info };
      await this.db.meta.put(record);
      this.update({ store: info });
    } catch (error) {
      console.warn('could not read the store', error);
    }
  }

  private async refreshLeasesFromDisk(): Promise<void> {
    const leases = await this.db.leases.toArray();
    this.update({ leases: Object.fromEntries(leases.map((l) => [l.sku, l])) });
  }

  private async sendStatus(report: DeviceStatus): Promise<void> {
    const enrollment = this.store.get().enrollment;
    if (!enrollment) return;
    const response = await fetch(`${this.baseUrl}/api/staff/${enrollment.storeId}/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${enrollment.credential}` },
      body: JSON.stringify(report),
    });
    if (response.status === 401) this.connection?.removed();
  }

  private async refreshOutbox(): Promise<void> {
    const [pending, failed] = await Promise.all([this.outbox.pending(), this.outbox.failed()]);
    this.update({ pending, failed });
    this.reporter.changed();
  }

  private update(patch: Partial<TabletSnapshot>): void {
    this.store.update(patch);
  }
}
