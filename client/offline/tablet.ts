import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { BookingView } from '../../shared/api/bookings.ts';
import type { EnrolledDevice } from '../../shared/api/enrollment.ts';
import type { StaffHold } from '../../shared/api/holds.ts';
import type { LeaseList, LeaseView, StockView } from '../../shared/api/stock.ts';
import { newUlid } from '../../shared/ids.ts';
import { CHECKINS_MAP, type CheckinMark, type ProductField } from '../../shared/store-doc.ts';
import { createSend, getJson } from './api.ts';
import type { Enrollment, LocalLease, OutboxEntry, TabletDb } from './db.ts';
import { checkOfflineSale, type OfflineSaleCheck, planLeases } from './lease-policy.ts';
import { Outbox } from './outbox.ts';
import { connectStoreDoc, editProduct, openStoreDoc, readScarcePlaneOf, readStock } from './store-doc.ts';

const FLUSH_INTERVAL_MS = 2_000;
const LEASE_POLICY_INTERVAL_MS = 60_000;
const STATUS_REPORT_INTERVAL_MS = 30_000;

export type SyncState = 'offline' | 'connecting' | 'loading' | 'synced';

export interface TabletSnapshot {
  enrollment: Enrollment | undefined;
  sync: SyncState;
  lastSyncedAt: number | undefined;
  pending: OutboxEntry[];
  failed: OutboxEntry[];
  leases: Record<string, LocalLease>;
  /** Bumped on every document change, so views re-read the document. */
  docVersion: number;
  revoked: boolean;
}

export type { StaffHold };

/**
 * The staff app's state and every action a person can take. All actions go through the
 * outbox (IndexedDB first); reads come from the store document, which is on disk too.
 */
export class Tablet {
  private snapshot: TabletSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly outbox: Outbox;
  private doc: Y.Doc | undefined;
  private closeDoc: (() => void) | undefined;
  private provider: WebsocketProvider | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];
  private removeListeners: (() => void)[] = [];
  private readonly acknowledged = new Set<string>();

  constructor(
    private readonly db: TabletDb,
    private readonly baseUrl: string,
    private readonly appVersion: string,
    private readonly options: { WebSocketPolyfill?: unknown; isOnline?: () => boolean } = {},
  ) {
    this.snapshot = {
      enrollment: undefined,
      sync: 'offline',
      lastSyncedAt: undefined,
      pending: [],
      failed: [],
      leases: {},
      docVersion: 0,
      revoked: false,
    };
    this.outbox = new Outbox(
      db,
      createSend(baseUrl, () => this.snapshot.enrollment?.credential),
    );
    this.outbox.onEvent((event) => {
      if (event.type === 'revoked') this.update({ revoked: true });
      if (event.type === 'sent') void this.afterSent(event.entry, event.body);
      void this.refreshOutbox();
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TabletSnapshot => this.snapshot;

  get document(): Y.Doc | undefined {
    return this.doc;
  }

  /** Loads what the tablet knows from IndexedDB, then connects if it is enrolled. */
  async start(): Promise<void> {
    const enrollment = await this.db.enrollment.get('self');
    this.update({ enrollment });
    await this.refreshOutbox();
    await this.refreshLeasesFromDisk();
    if (enrollment) await this.connect(enrollment);
  }

  /** Trades an admin's one-time code for this tablet's credential. */
  async enroll(code: string, deviceName: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName }),
    });
    const body = (await response.json()) as EnrolledDevice & { message?: string };
    if (!response.ok) throw new Error(body.message ?? 'Enrollment failed.');
    const enrollment: Enrollment = { id: 'self', ...body, deviceName, enrolledAt: Date.now() };
    await this.db.enrollment.put(enrollment);
    this.update({ enrollment, revoked: false });
    await this.connect(enrollment);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const remove of this.removeListeners) remove();
    this.timers = [];
    this.removeListeners = [];
    this.provider?.destroy();
    this.closeDoc?.();
  }

  isOnline(): boolean {
    const browserOnline = this.options.isOnline?.() ?? (typeof navigator === 'undefined' || navigator.onLine);
    return browserOnline && this.snapshot.sync !== 'offline';
  }

  // --- reads ---

  stock(): Record<string, StockView> {
    return this.doc ? readStock(this.doc) : {};
  }

  holds(): StaffHold[] {
    const holds: Record<string, StaffHold> = this.doc ? readScarcePlaneOf(this.doc).holds : {};
    return Object.values(holds).sort((a, b) => a.createdAt - b.createdAt);
  }

  scarceAsOf(): number | undefined {
    return this.doc && readScarcePlaneOf(this.doc).asOf;
  }

  /** Units this tablet already used offline from its lease, still waiting to be reported. */
  usedOffline(sku: string): number {
    return this.snapshot.pending
      .filter((e) => e.leaseUse?.sku === sku)
      .reduce((sum, e) => sum + (e.leaseUse?.quantity ?? 0), 0);
  }

  checkSale(sku: string, quantity: number): OfflineSaleCheck {
    return checkOfflineSale(this.snapshot.leases[sku], this.usedOffline(sku), quantity, Date.now());
  }

  // --- actions ---

  async receive(sku: string, quantity: number): Promise<void> {
    await this.act({
      method: 'POST',
      path: this.staffPath(`/stock/${sku}/receive`),
      body: { quantity },
      label: `Receive ${quantity} × ${sku}`,
    });
  }

  async count(sku: string, counted: number, lastSeen: number): Promise<void> {
    await this.act({
      method: 'POST',
      path: this.staffPath(`/stock/${sku}/count`),
      body: { counted, lastSeen },
      label: `Count ${sku}: ${counted} on the shelf`,
    });
  }

  /**
   * Sells or writes off. Online the server decides at once; offline only inside this
   * tablet's lease (DESIGN rule 3), and the refusal says why.
   */
  async remove(
    kind: 'sale' | 'write_off',
    sku: string,
    quantity: number,
    reason?: string,
  ): Promise<OfflineSaleCheck> {
    const verb = kind === 'sale' ? 'Sell' : 'Write off';
    const reasonPart = reason ? { reason } : {};
    if (this.isOnline()) {
      await this.act({
        method: 'POST',
        path: this.staffPath(`/stock/${sku}/${kind === 'sale' ? 'sell' : 'write-off'}`),
        body: { quantity, ...reasonPart },
        label: `${verb} ${quantity} × ${sku}`,
      });
      if (kind === 'sale') await this.db.sales.add({ sku, quantity, at: Date.now() });
      return { ok: true, remaining: this.checkSale(sku, 0).remaining };
    }
    const check = this.checkSale(sku, quantity);
    if (!check.ok) return check;
    const action = { id: newUlid(), kind, quantity, at: Date.now(), ...reasonPart };
    await this.act({
      method: 'POST',
      path: this.staffPath(`/leases/${sku}/report`),
      body: { actions: [action], returnQuantity: 0 },
      label: `${verb} ${quantity} × ${sku} (offline, from this tablet’s allowance)`,
      leaseUse: { sku, quantity },
    });
    if (kind === 'sale') await this.db.sales.add({ sku, quantity, at: Date.now() });
    return check;
  }

  /** Keeps units on this tablet for offline selling (online only: the server moves them atomically). */
  async keepForOffline(sku: string, quantity: number): Promise<void> {
    await this.act({
      method: 'POST',
      path: this.staffPath('/leases'),
      body: { sku, quantity },
      label: `Keep ${quantity} × ${sku} for offline selling`,
    });
  }

  /** Gives back what this tablet keeps of a product. */
  async giveBack(sku: string): Promise<void> {
    const quantity = Math.max(0, (this.snapshot.leases[sku]?.quantity ?? 0) - this.usedOffline(sku));
    if (quantity === 0) return;
    await this.act({
      method: 'POST',
      path: this.staffPath(`/leases/${sku}/report`),
      body: { actions: [], returnQuantity: quantity },
      label: `Give back ${quantity} × ${sku} kept for offline selling`,
    });
  }

  async holdStep(
    holdId: string,
    step: 'accept' | 'pick' | 'hand-over' | 'cancel' | 'ack',
    label: string,
  ): Promise<void> {
    await this.act({ method: 'POST', path: this.staffPath(`/holds/${holdId}/${step}`), label });
  }

  /** Check-in and no-show work offline: the mark goes into the document at once, the command into the outbox. */
  async markBooking(bookingId: string, status: CheckinMark['status'], label: string): Promise<void> {
    const enrollment = this.snapshot.enrollment;
    if (this.doc && enrollment) {
      const mark: CheckinMark = { status, at: Date.now(), deviceId: enrollment.deviceId };
      this.doc.getMap<CheckinMark>(CHECKINS_MAP).set(bookingId, mark);
    }
    const step = status === 'checked_in' ? 'check-in' : 'no-show';
    await this.act({ method: 'POST', path: this.staffPath(`/bookings/${bookingId}/${step}`), label });
  }

  editProduct(sku: string, field: ProductField, value: string): void {
    if (this.doc) editProduct(this.doc, sku, field, value);
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

  /** Sends what is queued now (also runs on a timer and when the network returns). */
  flush(): Promise<void> {
    return this.outbox.flush();
  }

  // --- machinery ---

  private staffPath(rest: string): string {
    return `/api/staff/${this.snapshot.enrollment?.storeId ?? ''}${rest}`;
  }

  private async act(action: Parameters<Outbox['enqueue']>[0]): Promise<void> {
    await this.outbox.enqueue(action);
    await this.refreshOutbox();
    if (this.isOnline()) void this.outbox.flush();
  }

  private async connect(enrollment: Enrollment): Promise<void> {
    const { doc, close } = await openStoreDoc(this.db, enrollment.storeId);
    this.doc = doc;
    this.closeDoc = close;
    doc.on('update', () => {
      this.update({ docVersion: this.snapshot.docVersion + 1 });
      this.acknowledgeNewHoldsAndBookings();
    });
    this.update({ sync: 'connecting', docVersion: this.snapshot.docVersion + 1 });
    const providerOptions: {
      baseUrl: string;
      storeId: string;
      credential: string;
      WebSocketPolyfill?: unknown;
    } = {
      baseUrl: this.baseUrl,
      storeId: enrollment.storeId,
      credential: enrollment.credential,
    };
    if (this.options.WebSocketPolyfill) providerOptions.WebSocketPolyfill = this.options.WebSocketPolyfill;
    const provider = connectStoreDoc(doc, providerOptions);
    this.provider = provider;
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.update({ sync: provider.synced ? 'synced' : 'loading' });
      else this.update({ sync: status === 'connecting' ? 'connecting' : 'offline' });
      if (status === 'connected') void this.whenOnline();
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) this.update({ sync: 'synced', lastSyncedAt: Date.now() });
    });
    // The browser knows first when the network goes (and an open socket may linger): follow it.
    if (typeof window !== 'undefined') {
      const offline = () => {
        provider.disconnect();
        this.update({ sync: 'offline' });
      };
      const online = () => {
        provider.connect();
        void this.outbox.flush();
      };
      window.addEventListener('offline', offline);
      window.addEventListener('online', online);
      this.removeListeners.push(
        () => window.removeEventListener('offline', offline),
        () => window.removeEventListener('online', online),
      );
    }
    this.timers.push(
      setInterval(() => {
        if (this.isOnline()) void this.outbox.flush();
        if (this.snapshot.sync === 'synced') this.update({ lastSyncedAt: Date.now() });
      }, FLUSH_INTERVAL_MS),
      setInterval(() => void this.applyLeasePolicy(), LEASE_POLICY_INTERVAL_MS),
      setInterval(() => void this.reportStatus(), STATUS_REPORT_INTERVAL_MS),
    );
  }

  private async whenOnline(): Promise<void> {
    await this.outbox.flush();
    await this.refreshLeasesFromServer();
    await this.reportStatus();
  }

  /** DESIGN: the first tablet that receives a hold or booking acknowledges it automatically. */
  private acknowledgeNewHoldsAndBookings(): void {
    for (const hold of this.holds()) {
      if (hold.acknowledgedAt || this.acknowledged.has(hold.id)) continue;
      if (hold.status !== 'held' && hold.status !== 'confirmed') continue;
      this.acknowledged.add(hold.id);
      void this.holdStep(hold.id, 'ack', `Acknowledge pickup ${hold.sku} for ${hold.customer.name}`);
    }
    const bookings: Record<string, BookingView> = this.doc ? readScarcePlaneOf(this.doc).bookings : {};
    for (const booking of Object.values(bookings)) {
      if (booking.acknowledgedAt || booking.status !== 'booked' || this.acknowledged.has(booking.id))
        continue;
      this.acknowledged.add(booking.id);
      void this.act({
        method: 'POST',
        path: this.staffPath(`/bookings/${booking.id}/ack`),
        label: `Acknowledge appointment of ${booking.customer.name}`,
      });
    }
  }

  private async afterSent(entry: OutboxEntry, body: unknown): Promise<void> {
    const lease = (body as { lease?: LeaseView } | undefined)?.lease;
    if (lease && typeof lease.quantity === 'number') {
      await this.db.leases.put({
        sku: lease.sku,
        quantity: lease.quantity,
        expiresAt: lease.expiresAt,
        confirmedAt: Date.now(),
      });
      await this.refreshLeasesFromDisk();
    }
    if (entry.leaseUse) void this.reportStatus();
  }

  private async applyLeasePolicy(): Promise<void> {
    if (!this.isOnline()) return;
    const stock = this.stock();
    const available = Object.fromEntries(Object.entries(stock).map(([sku, s]) => [sku, s.available]));
    const leases = Object.fromEntries(Object.values(this.snapshot.leases).map((l) => [l.sku, l.quantity]));
    const sales = await this.db.sales.toArray();
    for (const step of planLeases({ now: Date.now(), sales, leases, available })) {
      if ('take' in step) {
        await this.act({
          method: 'POST',
          path: this.staffPath('/leases'),
          body: { sku: step.sku, quantity: step.take },
          label: `Keep ${step.take} × ${step.sku} for offline selling`,
        });
      } else {
        await this.act({
          method: 'POST',
          path: this.staffPath(`/leases/${step.sku}/report`),
          body: { actions: [], returnQuantity: step.give },
          label: `Give back ${step.give} × ${step.sku} kept for offline selling`,
        });
      }
    }
  }

  private async refreshLeasesFromServer(): Promise<void> {
    const enrollment = this.snapshot.enrollment;
    if (!enrollment) return;
    try {
      const { leases } = await getJson<LeaseList>(
        this.baseUrl,
        this.staffPath('/leases'),
        enrollment.credential,
      );
      await this.db.transaction('rw', this.db.leases, async () => {
        await this.db.leases.clear();
        await this.db.leases.bulkPut(
          leases.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            expiresAt: l.expiresAt,
            confirmedAt: Date.now(),
          })),
        );
      });
      await this.refreshLeasesFromDisk();
    } catch (error) {
      // Offline again or refused: the leases on disk stay the tablet's best knowledge.
      console.warn('could not refresh leases', error);
    }
  }

  private async refreshLeasesFromDisk(): Promise<void> {
    const leases = await this.db.leases.toArray();
    this.update({ leases: Object.fromEntries(leases.map((l) => [l.sku, l])) });
  }

  /** Tells the server how this tablet is doing, for the admin sync-status page. */
  private async reportStatus(): Promise<void> {
    const enrollment = this.snapshot.enrollment;
    if (!enrollment || !this.isOnline()) return;
    const { pending, failed, lastSyncedAt } = this.snapshot;
    const oldest = pending[0]?.createdAt;
    const lastError = [...pending, ...failed]
      .map((e) => e.error)
      .filter((e) => e !== undefined)
      .at(-1);
    const body = {
      appVersion: this.appVersion,
      pending: pending.length,
      failed: failed.length,
      oldestPendingAgeMs: oldest === undefined ? 0 : Date.now() - oldest,
      lastSyncedAt: lastSyncedAt ?? 0,
      ...(lastError ? { lastError: `${lastError.code}: ${lastError.message}` } : {}),
    };
    try {
      await fetch(`${this.baseUrl}${this.staffPath('/status')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${enrollment.credential}` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      console.warn('could not report tablet status', error);
    }
  }

  private async refreshOutbox(): Promise<void> {
    const [pending, failed] = await Promise.all([this.outbox.pending(), this.outbox.failed()]);
    this.update({ pending, failed });
  }

  private update(patch: Partial<TabletSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}
