import type * as Y from 'yjs';
import type { CheckinMark, ProductField } from '../../shared/store-doc.ts';
import { ActionRunner } from './action-runner.ts';
import { createSend } from './api.ts';
import { acknowledgementsDue } from './auto-acknowledge.ts';
import type { HoldStepName } from './commands.ts';
import type { Enrollment, MetaRecord, OutboxEntry, TabletDb } from './db.ts';
import { requestEnrollment } from './enrollment.ts';
import { HoldLogKeeper } from './hold-log-keeper.ts';
import { LeaseBook } from './lease-book.ts';
import { Outbox } from './outbox.ts';
import { forgetStore, holdBackOfflineSales, saveEnrollment } from './revoked-tablet.ts';
import { SalesDelivery } from './sales-delivery.ts';
import { recordSentEffects } from './sent-effects.ts';
import { ServerReads } from './server-reads.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { StaffActions } from './staff-actions.ts';
import { StaffApi } from './staff-api.ts';
import { StatusReporter } from './status-reporter.ts';
import { editProduct } from './store-doc.ts';
import { StoreReadModel } from './store-read-model.ts';
import { StoreSession } from './store-session.ts';
import { EMPTY_SNAPSHOT, readSavedState, statusInputOf, type TabletSnapshot } from './tablet-snapshot.ts';
import { createTimers, type Timers } from './timers.ts';
import { unsentExport } from './unsent-export.ts';
import { UnsyncedEdits } from './unsynced-edits.ts';

export { type ActionOutcome, ANSWER_WAIT_MS } from './action-runner.ts';
export type { StoreInfo } from './staff-api.ts';
export type { StaffBooking, StaffHold } from './store-read-model.ts';
export type { SyncState, TabletSnapshot } from './tablet-snapshot.ts';

const FLUSH_INTERVAL_MS = 2_000;
const LEASE_POLICY_INTERVAL_MS = 60_000;

export interface TabletOptions {
  WebSocketPolyfill?: unknown;
  isOnline?: () => boolean;
  timers?: Timers;
  now?: () => number;
}

/**
 * The staff app's composition root and the React store the screens read: it wires the outbox
 * and its action runner, the store session, the read model, the lease book, the hold log, the
 * status reporter and auto-acknowledgement. Every action goes through the outbox (IndexedDB
 * first); reads come from the store document, on disk too.
 */
export class Tablet {
  private readonly store: SnapshotStore<TabletSnapshot>;
  private readonly outbox: Outbox;
  private readonly runner: ActionRunner;
  private readonly send;
  private readonly api: StaffApi;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly reporter: StatusReporter;
  private readonly read: StoreReadModel;
  private readonly actions: StaffActions;
  private readonly leaseBook: LeaseBook;
  private readonly holdLog: HoldLogKeeper;
  private readonly reads: ServerReads;
  private readonly delivery: SalesDelivery;
  private readonly unsyncedEdits: UnsyncedEdits;
  private session: StoreSession | undefined;
  private readonly acknowledged = new Set<string>();

  constructor(
    private readonly db: TabletDb,
    private readonly baseUrl: string,
    appVersion: string,
    private readonly options: TabletOptions = {},
  ) {
    this.timers = options.timers ?? createTimers();
    this.now = options.now ?? Date.now;
    this.unsyncedEdits = new UnsyncedEdits(db, (unsyncedEdits) => this.update({ unsyncedEdits }));
    this.store = new SnapshotStore<TabletSnapshot>(EMPTY_SNAPSHOT);
    this.api = new StaffApi(baseUrl);
    this.send = createSend(baseUrl, () => this.store.get().enrollment);
    this.outbox = new Outbox(db, this.send, this.now);
    this.runner = new ActionRunner({
      outbox: this.outbox,
      timers: this.timers,
      isOnline: () => this.isOnline(),
      refresh: () => this.refreshOutbox(),
      onUnansweredRefusal: () => this.reporter.changed(),
    });
    this.outbox.onEvent((event) => {
      if (event.type === 'revoked') this.session?.removed();
      if (event.type === 'sent') void this.afterSent(event.entry, event.body);
      void this.refreshOutbox();
    });
    // What most collaborators ask of the session, read when they ask.
    const ctx = {
      now: this.now,
      isOnline: () => this.isOnline(),
      enrollment: () => this.store.get().enrollment,
      doc: () => this.session?.doc,
    };
    this.read = new StoreReadModel({
      ...ctx,
      docVersion: () => this.store.get().docVersion,
      pending: () => this.store.get().pending,
      leases: () => this.store.get().leases,
    });
    this.actions = new StaffActions({ ...ctx, runner: this.runner, read: this.read });
    this.leaseBook = new LeaseBook(db, this.now);
    this.holdLog = new HoldLogKeeper(db, {
      now: this.now,
      erased: () => this.store.get().revoked,
      onChange: (holdLog) => this.update({ holdLog }),
    });
    this.reads = new ServerReads({
      ...ctx,
      db,
      api: this.api,
      leaseBook: this.leaseBook,
      holdLog: this.holdLog,
      onLeases: (leases) => this.update({ leases }),
      onStore: (store) => this.update({ store }),
    });
    this.delivery = new SalesDelivery({
      ...ctx,
      db,
      send: this.send,
      timers: this.timers,
      state: () => this.store.get(),
      onDelivery: (delivery) => this.update({ delivery }),
      refresh: () => this.refreshOutbox(),
      ...(typeof window !== 'undefined' ? { events: window } : {}),
    });
    this.reporter = new StatusReporter({
      timers: this.timers,
      now: this.now,
      connected: () => this.isOnline(),
      read: () => statusInputOf(this.store.get(), appVersion),
      send: async (report) => {
        const enrollment = this.store.get().enrollment;
        if (enrollment && (await this.api.putStatus(enrollment, report)) === 'revoked')
          this.session?.removed();
      },
    });
  }

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): TabletSnapshot => this.store.get();

  get document(): Y.Doc | undefined {
    return this.session?.doc;
  }

  /** Loads what the tablet knows from IndexedDB, then connects if it is enrolled. */
  async start(): Promise<void> {
    const { saved, removed } = await readSavedState(this.db);
    const { enrollment } = saved;
    this.update(saved);
    await this.refreshOutbox();
    this.update({ unsyncedEdits: await this.unsyncedEdits.load() });
    await this.refreshLeases();
    await this.holdLog.load();
    if (enrollment && removed) {
      // Removed before this reload (issue 15 §1): no store to open, only offline sales to deliver.
      this.update({ sync: 'removed', revoked: true });
      this.delivery.keepDelivering();
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
    await saveEnrollment(this.db, enrollment, previous);
    this.disconnect();
    this.update({ enrollment, revoked: false, delivery: undefined });
    await this.connect(enrollment);
  }

  stop(): void {
    this.timers.stopAll();
    this.disconnect();
  }

  isOnline(): boolean {
    const state = this.store.get().sync;
    return this.browserOnline() && state !== 'offline' && state !== 'removed';
  }

  // reads (store-read-model.ts), then actions (staff-actions.ts)
  stock = () => this.read.stock();
  localStock = (sku: string) => this.read.localStock(sku);
  holds = () => this.read.holds();
  bookings = () => this.read.bookings();
  scarceAsOf = () => this.read.scarceAsOf();
  usedOffline = (sku: string) => this.read.usedOffline(sku);
  allowance = (sku: string) => this.read.allowance(sku);
  checkSale = (sku: string, quantity: number) => this.read.checkSale(sku, quantity);

  receive = (sku: string, quantity: number) => this.actions.receive(sku, quantity);
  count = (sku: string, counted: number, lastSeen: number, reason?: string) =>
    this.actions.count(sku, counted, lastSeen, reason);
  remove = (kind: 'sale' | 'write_off', sku: string, quantity: number, reason?: string) =>
    this.actions.remove(kind, sku, quantity, reason);
  keepForOffline = (sku: string, quantity: number) => this.actions.keepForOffline(sku, quantity);
  giveBack = (sku: string) => this.actions.giveBack(sku);
  holdStep = (holdId: string, step: HoldStepName, label: string) =>
    this.actions.holdStep(holdId, step, label);
  markBooking = (bookingId: string, status: CheckinMark['status'], label: string) =>
    this.actions.markBooking(bookingId, status, label);

  editProduct(sku: string, field: ProductField, value: string): void {
    const enrollment = this.store.get().enrollment;
    if (!this.session || !enrollment) return;
    const by = { deviceId: enrollment.deviceId, deviceName: enrollment.deviceName, at: this.now() };
    editProduct(this.session.doc, sku, field, value, by);
    // In sync, the socket carries the edit at once; otherwise it waits for the next sync.
    if (this.store.get().sync !== 'synced') this.unsyncedEdits.note({ sku, field, at: by.at });
  }

  dismissFailed = (seq: number) => this.runner.dismiss(seq);
  retryFailed = (seq: number) => this.runner.retry(seq);

  /** Removed by an admin (issue 15 §1): sends the offline sales made before (sales-delivery.ts). */
  deliverOfflineSales = () => this.delivery.deliver();

  /** Sends what is queued now (also runs on a timer and when the network returns). */
  flush(): Promise<void> {
    return this.outbox.flush();
  }

  /** Everything not yet accepted by the server, as a file staff can keep (issue 8.4). */
  unsentExport(): string {
    const { enrollment, pending, failed } = this.store.get();
    return unsentExport(enrollment, [...pending, ...failed], this.now());
  }

  /** Learns from the store's audit log how holds that left the queue ended (online only). */
  refreshDoneHolds = () => this.reads.doneHolds();

  // --- machinery ---

  private browserOnline(): boolean {
    return this.options.isOnline?.() ?? (typeof navigator === 'undefined' || navigator.onLine);
  }

  private async connect(enrollment: Enrollment): Promise<void> {
    this.session = await StoreSession.open(this.db, enrollment.storeId, {
      baseUrl: this.baseUrl,
      socketParams: () => this.api.syncTicket(this.store.get().enrollment),
      timers: this.timers,
      browserOnline: () => this.browserOnline(),
      onDocChange: () => {
        this.update({ docVersion: this.store.get().docVersion + 1 });
        for (const action of acknowledgementsDue(this.holds(), this.bookings(), this.acknowledged))
          void this.runner.act(action);
        void this.holdLog.sawOpen(this.holds());
      },
      onState: (state) => {
        this.update({ sync: state, revoked: state === 'removed' });
        if (state === 'synced') void this.whenOnline();
        if (state === 'removed') queueMicrotask(() => void this.whenRemoved());
        this.reporter.changed();
      },
      onSynced: () => {
        void this.markSynced();
        this.unsyncedEdits.synced();
      },
      ...(this.options.WebSocketPolyfill ? { WebSocketPolyfill: this.options.WebSocketPolyfill } : {}),
      ...(typeof window !== 'undefined' ? { events: window } : {}),
    });
    this.update({ docVersion: this.store.get().docVersion + 1 });
    this.timers.every(FLUSH_INTERVAL_MS, () => {
      if (this.isOnline()) void this.outbox.flush();
      if (this.store.get().sync === 'synced') void this.markSynced();
    });
    this.timers.every(LEASE_POLICY_INTERVAL_MS, () => void this.applyLeasePolicy());
    this.reporter.start();
    await this.session.connect();
  }

  private disconnect(): void {
    this.delivery.stop();
    this.session?.close();
    this.session = undefined;
    this.timers.stopAll();
  }

  /**
   * An admin removed this tablet (issue 15 §1): it closes the store, erases what it knew of it
   * but its own unsent actions (revoked-tablet.ts), then delivers the offline sales it may.
   */
  private async whenRemoved(): Promise<void> {
    this.disconnect();
    const erased = await forgetStore(this.db, this.now(), this.holdLog, this.unsyncedEdits);
    this.update({ ...erased, docVersion: this.store.get().docVersion + 1 });
    this.delivery.keepDelivering();
  }

  private async markSynced(): Promise<void> {
    const at = this.now();
    this.update({ lastSyncedAt: at });
    const record: MetaRecord = { key: 'sync', lastSyncedAt: at };
    await this.db.meta.put(record);
  }

  private async whenOnline(): Promise<void> {
    await this.outbox.flush();
    await this.reads.all();
    await this.reporter.report(true);
  }

  /** What the server's acceptance means here: a closed hold, a sale for the lease rule, a lease. */
  private async afterSent(entry: OutboxEntry, body: unknown): Promise<void> {
    const target = { holdLog: this.holdLog, db: this.db, leaseBook: this.leaseBook };
    if ((await recordSentEffects(target, entry, body)).leaseChanged) await this.refreshLeases();
    this.reporter.changed();
  }

  private async applyLeasePolicy(): Promise<void> {
    if (!this.isOnline()) return;
    const actions = await this.leaseBook.policyActions(this.store.get().leases, this.stock());
    for (const action of actions) await this.runner.act(action);
  }

  private async refreshLeases(): Promise<void> {
    this.update({ leases: await this.leaseBook.read() });
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
