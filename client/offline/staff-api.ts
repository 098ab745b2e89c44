import type { DeviceStatus } from '../../shared/api/status.ts';
import type { LeaseList } from '../../shared/api/stock.ts';
import type { StoreHours } from '../../shared/opening-hours.ts';
import { getJson } from './api.ts';
import type { SocketParams } from './store-connection.ts';

/** Who asks: the tablet's store and credential. */
export interface StaffCaller {
  storeId: string;
  credential: string;
}

/** The store as staff know it: its name for the header and its zone for every time shown. */
export interface StoreInfo {
  name: string;
  timeZone: string;
  /** Its opening hours once an admin set them (issue 21): today's are in the header. */
  hours?: StoreHours;
}

/** One entry of the store's audit log, as far as the hold log reads it. */
export interface StaffAuditEntry {
  type: string;
  at: number;
  data: { holdId?: string };
}

/**
 * The staff app's calls besides its commands (those go through the outbox, api.ts): the
 * socket's ticket, the status report and three reads. Each throws or answers a value; the
 * caller decides what an unreachable server means.
 */
export class StaffApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** A one-time ticket for the socket (issue 8.12): the credential itself never goes in a URL. */
  async syncTicket(who: StaffCaller | undefined): Promise<SocketParams> {
    if (!who) return 'revoked';
    try {
      const response = await this.fetchImpl(`${this.baseUrl}/api/staff/${who.storeId}/sync-ticket`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.credential}` },
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

  /** Sends the status report; answers 'revoked' when the credential no longer opens it. */
  async putStatus(who: StaffCaller, report: DeviceStatus): Promise<'sent' | 'revoked'> {
    const response = await this.fetchImpl(`${this.baseUrl}/api/staff/${who.storeId}/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${who.credential}` },
      body: JSON.stringify(report),
    });
    return response.status === 401 ? 'revoked' : 'sent';
  }

  async leases(who: StaffCaller): Promise<LeaseList['leases']> {
    const path = `/api/staff/${who.storeId}/leases`;
    return (await getJson<LeaseList>(this.baseUrl, path, who.credential, this.fetchImpl)).leases;
  }

  /** The store's name and time zone, or undefined when the server does not know the store. */
  async storeInfo(who: StaffCaller): Promise<StoreInfo | undefined> {
    const path = `/api/staff/${who.storeId}/stock`;
    const { store } = await getJson<{ store: StoreInfo | null }>(
      this.baseUrl,
      path,
      who.credential,
      this.fetchImpl,
    );
    if (!store) return undefined;
    return { name: store.name, timeZone: store.timeZone, ...(store.hours ? { hours: store.hours } : {}) };
  }

  async auditEntries(who: StaffCaller): Promise<StaffAuditEntry[]> {
    const path = `/api/staff/${who.storeId}/audit?limit=500`;
    return (await getJson<{ entries: StaffAuditEntry[] }>(this.baseUrl, path, who.credential, this.fetchImpl))
      .entries;
  }
}
