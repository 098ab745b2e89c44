import { describe, expect, it } from 'vitest';
import type { LocalLease } from '../../client/offline/db.ts';
import { HoldLogKeeper } from '../../client/offline/hold-log-keeper.ts';
import { LeaseBook } from '../../client/offline/lease-book.ts';
import { ServerReads } from '../../client/offline/server-reads.ts';
import { StaffApi, type StoreInfo } from '../../client/offline/staff-api.ts';
import { parseAuditEvent } from '../../shared/audit-events.ts';
import { freshDb, holdOf } from './tablet-parts.ts';

const enrollment = {
  id: 'self' as const,
  deviceId: 'd',
  storeId: 'aiea',
  credential: 'c',
  deviceName: 'C',
  enrolledAt: 0,
};

function reads(answer: (url: string) => Response, online = true) {
  const db = freshDb('reads');
  const fetchImpl = (async (input: RequestInfo | URL) => answer(String(input))) as typeof fetch;
  const seen: { leases?: Record<string, LocalLease>; store?: StoreInfo } = {};
  const holdLog = new HoldLogKeeper(db, { now: () => 5, erased: () => false, onChange() {} });
  const r = new ServerReads({
    db,
    api: new StaffApi('http://shop', fetchImpl),
    leaseBook: new LeaseBook(db, () => 5),
    holdLog,
    enrollment: () => enrollment,
    isOnline: () => online,
    onLeases: (leases) => {
      seen.leases = leases;
    },
    onStore: (store) => {
      seen.store = store;
    },
  });
  return { db, r, seen, holdLog };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

describe('what the tablet reads once in sync', () => {
  it('takes the server’s leases and the store’s name and zone, and keeps the store for offline reloads', async () => {
    const { db, r, seen } = reads((url) =>
      url.endsWith('/leases')
        ? json({ leases: [{ deviceId: 'd', sku: 'KIT', quantity: 2, expiresAt: 100 }] })
        : url.endsWith('/stock')
          ? json({ store: { name: 'Aiea', timeZone: 'Pacific/Honolulu' }, stock: [] })
          : json({ entries: [] }),
    );
    await r.all();
    expect(seen.leases?.KIT).toMatchObject({ quantity: 2, expiresAt: 100 });
    expect(seen.store).toEqual({ name: 'Aiea', timeZone: 'Pacific/Honolulu' });
    expect(await db.meta.get('store')).toEqual({ key: 'store', name: 'Aiea', timeZone: 'Pacific/Honolulu' });
  });

  it('keeps what is on disk when the server refuses', async () => {
    const { db, r, seen } = reads(() => json({ code: 'INTERNAL', message: 'x' }, 500));
    await db.leases.put({ sku: 'KIT', quantity: 1, expiresAt: 100, confirmedAt: 1 });
    await r.all();
    expect(seen).toEqual({});
    expect(await db.leases.count()).toBe(1);
  });

  it('closes holds from the audit log, online only', async () => {
    const data = { holdId: 'h1', sku: 'KIT', quantity: 1, statusBefore: 'held', statusAfter: 'cancelled' };
    const fields = ['v', '2', 'type', 'hold.cancel', 'actor', '{"role":"customer"}', 'at', '3', 'data'];
    const event = parseAuditEvent('{st:aiea}:audit', ['3-0', [...fields, JSON.stringify(data)]]);
    const audit = JSON.parse(JSON.stringify({ entries: [event] }));
    const offline = reads(() => json(audit), false);
    await offline.holdLog.sawOpen([holdOf('h1', 1)]);
    await offline.holdLog.sawOpen([]);
    await offline.r.doneHolds();
    expect((await offline.db.holdLog.get('h1'))?.closedAs).toBe('closed');

    const online = reads(() => json(audit));
    await online.holdLog.sawOpen([holdOf('h1', 1)]);
    await online.holdLog.sawOpen([]);
    await online.r.doneHolds();
    expect((await online.db.holdLog.get('h1'))?.closedAs).toBe('cancelled');
  });
});
