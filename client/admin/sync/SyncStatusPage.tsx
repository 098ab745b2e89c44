import { type SyncOverview, syncOverviewSchema } from '../../../shared/api/admin-sync.ts';
import { VERDICT_RULES } from '../../../shared/sync-verdict.ts';
import { browserTimeZone, zonedMoment } from '../../ui/format.ts';
import type { AdminApi } from '../pages/admin-api.ts';
import { Charts } from './Charts.tsx';
import { ago, Loading, NotUpdating, storeHref, TabletTable, useLive, Verdict } from './live.tsx';

/** The heart of the console: every store and tablet, live, with the rules written on the page. */
export function SyncStatusPage({ api }: { api: AdminApi }) {
  const { data: overview, error } = useLive(api, '/api/admin/sync-overview', syncOverviewSchema);
  if (!overview) return <Loading title="Sync status" error={error} />;
  const { now, health } = overview;
  // Servers belong to no store: their times are this browser's, labelled like the stores' are.
  const ownZone = browserTimeZone();
  // One count of connected tablets for the whole page: the stores' rows, the chart's "now" and
  // the servers' lines all come from the same answer.
  const connectedNow = overview.stores.reduce((n, s) => n + s.tablets.filter((t) => t.connected).length, 0);
  return (
    <section className="page wide stack">
      <h1>Sync status</h1>
      <NotUpdating error={error} now={now} timeZone={ownZone} />
      {overview.stores.length === 0 && (
        <p>There are no stores yet. Add a store, then enroll its tablets on the Tablets page.</p>
      )}
      {overview.stores.map((store) => (
        <article key={store.storeId} className="card stack" data-testid="store-sync">
          <h2>
            <a href={storeHref(store.storeId)}>{store.name}</a> <Verdict verdict={store.verdict} />
          </h2>
          {store.reasons.length > 0 && <p>{store.reasons.join('; ')}</p>}
          <TabletTable name={store.name} tablets={store.tablets} now={now} timeZone={store.timeZone} />
        </article>
      ))}
      <Charts api={api} tabletsNow={connectedNow} />
      <article className="card stack">
        <h2>System health</h2>
        <p>
          Redis: {health.redis.ok ? 'answering' : 'NOT answering'}, AOF {health.redis.aof ? 'on' : 'OFF'} (
          {health.redis.appendfsync}), memory {(health.redis.usedMemoryBytes / 1_048_576).toFixed(1)} MiB of{' '}
          {health.redis.maxMemoryBytes === 0
            ? 'no limit'
            : `${(health.redis.maxMemoryBytes / 1_048_576).toFixed(0)} MiB`}
          , eviction {health.redis.evictionPolicy}, {health.redis.clients} clients, round trip{' '}
          {health.redis.roundTripMs} ms.
        </p>
        <ul>
          {health.instances.map((i) => (
            <li key={i.instanceId}>
              Server {i.instanceId}: version {i.version}, started {zonedMoment(i.startedAt, now, ownZone)} (up{' '}
              {ago(i.startedAt, now).replace(' ago', '')}), heartbeat {ago(i.heartbeatAt, now)}, {i.tablets}{' '}
              {i.tablets === 1 ? 'tablet' : 'tablets'} connected
            </li>
          ))}
        </ul>
        <ul>
          {health.streams.map((s) => (
            <li key={s.stream}>
              {s.stream}: {s.length.toLocaleString()} entries kept (about {s.cap.toLocaleString()} once
              archived)
            </li>
          ))}
        </ul>
        <p data-testid="archive-health">{archiveSentence(health.archive)}</p>
        <p data-testid="reconciliation-health">
          {reconciliationSentence(health.reconciliation, now, ownZone)}
        </p>
      </article>
      <article className="card stack">
        <h2>How verdicts are decided</h2>
        <ul>
          {VERDICT_RULES.map((rule) => (
            <li key={rule}>{rule}</li>
          ))}
        </ul>
      </article>
    </section>
  );
}

/** The ledger's line of the health block: is Postgres answering, and how far behind is the archive. */
function archiveSentence(a: SyncOverview['health']['archive']): string {
  const ledger =
    a.ledger === 'ok'
      ? 'Ledger (Postgres): answering'
      : a.ledger === 'off'
        ? 'Ledger: not configured'
        : 'Ledger (Postgres): NOT answering, sales go on and Redis keeps every entry';
  if (a.behindEntries === 0) return `${ledger}; the archive is up to date.`;
  const entries = `${a.behindEntries.toLocaleString()} ${a.behindEntries === 1 ? 'entry' : 'entries'}`;
  return `${ledger}; archive behind by ${entries} (the oldest waiting ${Math.round(a.behindSeconds)} s).`;
}

/** The reconciliation's line: when Redis was last checked against the ledger, and what drifted. */
function reconciliationSentence(
  r: SyncOverview['health']['reconciliation'],
  now: number,
  zone: string,
): string {
  if (!r)
    return 'Reconciliation with the ledger: not run yet (it runs daily; GET /api/admin/reconciliation runs it now).';
  const when = zonedMoment(r.ranAt, now, zone);
  if (r.drifted.length === 0)
    return `Reconciliation with the ledger, ${when}: ${r.products.toLocaleString()} products, no drift.`;
  const shown = r.drifted.slice(0, 5).join(', ');
  const more = r.drifted.length > 5 ? ` and ${r.drifted.length - 5} more` : '';
  return `Reconciliation with the ledger, ${when}: DRIFT in ${r.drifted.length} ${r.drifted.length === 1 ? 'product' : 'products'} (${shown}${more}); see GET /api/admin/reconciliation.`;
}
