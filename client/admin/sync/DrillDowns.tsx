import { useEffect, useState } from 'react';
import {
  storeDrillDownSchema,
  syncOverviewSchema,
  tabletHistorySchema,
} from '../../../shared/api/admin-sync.ts';
import { zonedDateTime, zonedMoment } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from '../pages/admin-api.ts';
import {
  ago,
  connectionText,
  FailedActions,
  Leases,
  Loading,
  NotUpdating,
  storeHref,
  TabletTable,
  useLive,
  Verdict,
  when,
} from './live.tsx';

const Back = () => (
  <p>
    <a href="#sync">← All stores</a>
  </p>
);

/** A store's page: its tablets, and every hold, booking and product its customers wait on. */
export function StoreSyncPage({ api, storeId }: { api: AdminApi; storeId: string }) {
  const path = `/api/admin/sync/stores/${encodeURIComponent(storeId)}`;
  const { data, error } = useLive(api, path, storeDrillDownSchema);
  if (!data) return <Loading title={`Store ${storeId}`} error={error} />;
  const { store, now, late, shortfalls } = data;
  // In the store's zone, labelled ("Mon, Nov 23, 10:32 AM HST"), as its staff and customers see it.
  const time = (at: number) => zonedDateTime(at, data.timeZone);
  return (
    <section className="page wide stack">
      <Back />
      <h1>
        {store.name} <Verdict verdict={store.verdict} />
      </h1>
      <NotUpdating error={error} now={now} timeZone={data.timeZone} />
      {store.reasons.length > 0 && <p>{store.reasons.join('; ')}</p>}
      <article className="card stack">
        <h2>Tablets</h2>
        <TabletTable name={store.name} tablets={store.tablets} now={now} timeZone={data.timeZone} />
      </article>
      <article className="card stack">
        <h2>Holds and bookings not acknowledged by the store ({late.length})</h2>
        {late.length === 0 ? (
          <p className="muted">Every customer’s hold and booking has been received by a tablet in time.</p>
        ) : (
          <>
            <p>
              These customers are told that the store has not confirmed their order and to call
              {data.phone ? ` ${data.phone}` : ' the store'}.
            </p>
            <ul>
              {late.map((item) => (
                <li key={item.id}>
                  {item.kind === 'hold' ? 'Hold' : 'Booking'}: {item.what}
                  {item.startsAt !== undefined && ` at ${time(item.startsAt)}`} for {item.customerName}, made{' '}
                  {time(item.createdAt)} ({ago(item.createdAt, now)})
                </li>
              ))}
            </ul>
          </>
        )}
      </article>
      <article className="card stack">
        <h2>Stock shortfalls ({shortfalls.length})</h2>
        {shortfalls.length === 0 ? (
          <p className="muted">No count has found fewer units than were promised.</p>
        ) : (
          <ul>
            {shortfalls.map((s) => (
              <li key={s.sku}>
                {s.sku}: {s.units} {s.units === 1 ? 'unit' : 'units'} promised beyond the shelf
              </li>
            ))}
          </ul>
        )}
      </article>
    </section>
  );
}

type History = ReturnType<typeof tabletHistorySchema.parse>['events'];

/** A tablet's page: what the server sees and what it reports, its refusals and connections. */
export function TabletSyncPage({ api, deviceId }: { api: AdminApi; deviceId: string }) {
  const { data, error } = useLive(api, '/api/admin/sync-overview', syncOverviewSchema);
  const [history, setHistory] = useState<History>();
  const [historyError, setHistoryError] = useState('');
  const tablet = data?.stores.flatMap((s) => s.tablets).find((t) => t.deviceId === deviceId);
  const changed = `${tablet?.connected}-${tablet?.connectedSince}-${tablet?.offlineSince}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the connection changes
  useEffect(() => {
    api.get(`/api/admin/sync/tablets/${encodeURIComponent(deviceId)}/history`).then(
      (body) => {
        setHistory(tabletHistorySchema.parse(body).events);
        setHistoryError('');
      },
      (failure: unknown) => setHistoryError(describeFailure(failure)),
    );
  }, [api, deviceId, changed]);
  if (!data) return <Loading title="Tablet" error={error} />;
  const { now } = data;
  if (!tablet)
    return (
      <section className="page stack">
        <Back />
        <h1>Tablet not found</h1>
        <p>No tablet has the id {deviceId}. It may have been enrolled again under a new id.</p>
      </section>
    );
  const store = data.stores.find((s) => s.storeId === tablet.storeId);
  const timeZone = store?.timeZone ?? 'UTC';
  return (
    <section className="page stack">
      <Back />
      <h1>
        {tablet.name} <Verdict verdict={tablet.verdict} />
      </h1>
      <NotUpdating error={error} now={now} timeZone={timeZone} />
      {tablet.reasons.length > 0 && <p>{tablet.reasons.join('; ')}</p>}
      <dl className="facts">
        <dt>Store</dt>
        <dd>
          <a href={storeHref(tablet.storeId)}>{store?.name ?? tablet.storeId}</a>
        </dd>
        <dt>Connection (seen by the server)</dt>
        <dd>
          {connectionText(tablet, now, timeZone)}, last seen {when(tablet.lastSeen, now, timeZone)}
        </dd>
        <dt>Outbox (reported {when(tablet.reportedAt, now, timeZone)})</dt>
        <dd>
          {tablet.pending} pending
          {tablet.pending > 0 && `, oldest ${Math.round(tablet.oldestPendingAgeMs / 1000)} s`}, last synced{' '}
          {when(tablet.lastSyncedAt, now, timeZone)}
        </dd>
        <dt>Leases</dt>
        <dd>
          <Leases t={tablet} now={now} timeZone={timeZone} />
        </dd>
        <dt>App</dt>
        <dd>
          {tablet.appVersion ?? 'not reported yet'}
          {tablet.lastError && <div className="error">Last error: {tablet.lastError}</div>}
        </dd>
      </dl>
      <article className="card stack">
        <h2>Refused actions ({tablet.failedActions.length})</h2>
        {tablet.failedActions.length === 0 ? (
          <p className="muted">The server has refused nothing this tablet sent.</p>
        ) : (
          <FailedActions t={tablet} now={now} timeZone={timeZone} />
        )}
      </article>
      <article className="card stack">
        <h2>Connections</h2>
        {historyError && (
          <p role="alert" className="error">
            Could not read the connections: {historyError}
          </p>
        )}
        {!history && !historyError && <p>Loading…</p>}
        {history?.length === 0 && <p className="muted">No connection seen yet.</p>}
        {history && history.length > 0 && (
          <ul>
            {history.map((h) => (
              <li key={`${h.at}-${h.kind}`}>
                {zonedMoment(h.at, now, timeZone, { seconds: true })}:{' '}
                {h.kind === 'connected' ? 'connected to' : 'disconnected from'} {h.instanceId}
              </li>
            ))}
          </ul>
        )}
      </article>
    </section>
  );
}
