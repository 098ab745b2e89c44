import type { Enrollment, LocalLease, MetaRecord, TabletDb } from './db.ts';
import type { HoldLogKeeper } from './hold-log-keeper.ts';
import type { LeaseBook } from './lease-book.ts';
import type { StaffApi, StoreInfo } from './staff-api.ts';

export interface ServerReadsDeps {
  db: TabletDb;
  api: StaffApi;
  leaseBook: LeaseBook;
  holdLog: HoldLogKeeper;
  enrollment: () => Enrollment | undefined;
  isOnline: () => boolean;
  onLeases: (leases: Record<string, LocalLease>) => void;
  onStore: (store: StoreInfo) => void;
}

/**
 * What the tablet reads from the server once in sync: its leases, the store's name and zone,
 * and how holds that left the queue ended. Each falls back to what is on disk when it fails.
 */
export class ServerReads {
  constructor(private readonly deps: ServerReadsDeps) {}

  all(): Promise<unknown> {
    return Promise.all([this.leases(), this.storeInfo(), this.doneHolds()]);
  }

  async leases(): Promise<void> {
    const enrollment = this.deps.enrollment();
    if (!enrollment) return;
    try {
      await this.deps.leaseBook.replaceFromServer(await this.deps.api.leases(enrollment));
      this.deps.onLeases(await this.deps.leaseBook.read());
    } catch (error) {
      // Offline again or refused: the leases on disk stay the tablet's best knowledge.
      console.warn('could not refresh leases', error);
    }
  }

  /** The store's name and time zone, kept on disk for offline reloads. */
  async storeInfo(): Promise<void> {
    const enrollment = this.deps.enrollment();
    if (!enrollment) return;
    try {
      const info = await this.deps.api.storeInfo(enrollment);
      if (!info) return;
      const record: MetaRecord = { key: 'store', ...info };
      await this.deps.db.meta.put(record);
      this.deps.onStore(info);
    } catch (error) {
      console.warn('could not read the store', error);
    }
  }

  /** Learns from the store's audit log how holds that left the queue ended (online only). */
  async doneHolds(): Promise<void> {
    const enrollment = this.deps.enrollment();
    if (!enrollment || !this.deps.isOnline()) return;
    try {
      await this.deps.holdLog.fromAudit(await this.deps.api.auditEntries(enrollment));
    } catch (error) {
      console.warn('could not read the store’s audit log', error);
    }
  }
}
