import type { Report, ReportQuery } from '../../shared/api/reports.ts';
import type { Deps } from '../deps.ts';
import { listStores } from '../stock/stores.ts';
import type { LedgerDb } from './db.ts';

/**
 * Each query takes the store, its zone and the first and last day: rows from local midnight of
 * `from` to local midnight after `to` (indexed on store_id and at), days counted in the zone.
 */
const RANGE = `store_id = $1 AND at >= ($3::date)::timestamp AT TIME ZONE $2
  AND at < ($4::date + 1)::timestamp AT TIME ZONE $2`;
const STEP = (type: string, after: string) =>
  `type = '${type}' AND entry->'data'->>'statusAfter' = '${after}' AND entry->'data'->>'statusBefore' <> '${after}'`;

const DAYS_SQL = `
  SELECT to_char((at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS date,
    count(*) FILTER (WHERE type = 'hold.created')::int AS "holdsMade",
    count(*) FILTER (WHERE ${STEP('hold.confirm', 'confirmed')})::int AS confirmed,
    count(*) FILTER (WHERE ${STEP('hold.hand_over', 'fulfilled')})::int AS collected,
    count(*) FILTER (WHERE type = 'hold.expired')::int AS expired,
    count(*) FILTER (WHERE ${STEP('hold.cancel', 'cancelled')})::int AS cancelled,
    coalesce(sum(delta) FILTER (WHERE type = 'stock.receive'), 0)::int AS "unitsReceived"
  FROM ledger_entries WHERE ${RANGE} AND event_id IS NULL
  GROUP BY 1 ORDER BY 1`;

const PICKUP_SQL = `
  SELECT to_char((h.at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS date,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.at - c.at)) / 60 AS minutes
  FROM ledger_entries h
  JOIN ledger_entries c ON c.hold_id = h.hold_id AND c.type = 'hold.created' AND c.stream = h.stream
  WHERE h.store_id = $1 AND h.at >= ($3::date)::timestamp AT TIME ZONE $2
    AND h.at < ($4::date + 1)::timestamp AT TIME ZONE $2
    AND h.type = 'hold.hand_over' AND h.entry->'data'->>'statusAfter' = 'fulfilled'
    AND h.entry->'data'->>'statusBefore' <> 'fulfilled'
  GROUP BY 1`;

const EVENTS_SQL = `
  SELECT event_id AS "eventId", to_char((at AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS date,
    count(*) FILTER (WHERE type = 'booking.created')::int AS bookings,
    count(*) FILTER (WHERE type = 'booking.check_in')::int AS "checkIns",
    count(*) FILTER (WHERE type = 'booking.no_show')::int AS "noShows",
    count(*) FILTER (WHERE type = 'booking.cancel')::int AS cancellations
  FROM ledger_entries WHERE ${RANGE} AND event_id IS NOT NULL
  GROUP BY 1, 2 HAVING count(*) FILTER (WHERE type LIKE 'booking.%') > 0 ORDER BY 1, 2`;

const TABLETS_SQL = `
  SELECT device_id AS "deviceId",
    coalesce(sum(CASE WHEN type = 'stock.write_off' THEN -delta WHEN type = 'lease.write_off' THEN quantity END), 0)::int AS "writtenOff",
    coalesce(sum(-delta) FILTER (WHERE type = 'stock.count' AND delta < 0), 0)::int AS "countShortfall"
  FROM ledger_entries WHERE ${RANGE} AND device_id IS NOT NULL
    AND type IN ('stock.write_off', 'lease.write_off', 'stock.count')
  GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1`;

/**
 * The business's reports from the ledger (issue 17 §3): per store and day in the store's time,
 * holds made, confirmed, collected, expired and cancelled with the median time to pickup and
 * units received; per event and day, bookings, check-ins, no-shows and cancellations; per
 * tablet, write-offs and count shortfalls.
 */
export async function readReport(deps: Deps, db: LedgerDb, q: ReportQuery): Promise<Report> {
  const stores = (await listStores(deps)).filter((s) => q.storeId === undefined || s.id === q.storeId);
  const reports = await Promise.all(
    stores.map(async (store) => {
      const args = [store.id, store.timeZone, q.from, q.to];
      const [days, pickups, events, tablets] = await Promise.all([
        db.pool.query(DAYS_SQL, args),
        db.pool.query<{ date: string; minutes: number }>(PICKUP_SQL, args),
        db.pool.query(EVENTS_SQL, args),
        db.pool.query(TABLETS_SQL, args),
      ]);
      const median = new Map(pickups.rows.map((r) => [r.date, Math.round(Number(r.minutes) * 10) / 10]));
      return {
        storeId: store.id,
        timeZone: store.timeZone,
        days: days.rows.map((d) => ({ ...d, medianMinutesToPickup: median.get(d.date) ?? null })),
        events: events.rows,
        tablets: tablets.rows,
      };
    }),
  );
  return { from: q.from, to: q.to, stores: reports } as Report;
}
