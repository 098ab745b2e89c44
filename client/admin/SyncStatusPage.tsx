import { useEffect, useState } from 'react';
import {
  type SyncOverview,
  syncOverviewSchema,
  type TabletSync,
  tabletHistorySchema,
} from '../../shared/api/admin-sync.ts';
import { VERDICT_RULES } from '../../shared/sync-verdict.ts';
import { Charts } from './Charts.tsx';
import { type AdminApi, describeFailure } from './pages/admin-api.ts';

/** How often the page asks again: a vanished tablet shows as offline within 10 s. */
const REFRESH_MS = 2_000;

const VERDICT_TEXT: Record<string, string> = {
  in_sync: 'In sync',
  behind: 'Behind',
  offline: 'Offline',
  needs_attention: 'Needs attention',
  removed: 'Removed',
  no_tablet_connected: 'No tablet connected',
};

function ago(at: number | undefined, now: number): string {
  if (at === undefined) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

/** A tablet's drill-down: its last connections and disconnections, and what was refused. */
function TabletHistory({ api, t }: { api: AdminApi; t: TabletSync }) {
  const [history, setHistory] = useState<{ kind: string; at: number; instanceId: string }[]>();
  const [error, setError] = useState('');
  return (
    <details
      onToggle={(e) => {
        if (!(e.currentTarget as HTMLDetailsElement).open || history) return;
        api.get(`/api/admin/sync/tablets/${encodeURIComponent(t.deviceId)}/history`).then(
          (body) => setHistory(tabletHistorySchema.parse(body).events),
          (err: unknown) => setError(describeFailure(err)),
        );
      }}
    >
      <summary>History</summary>
      {error && <p className="error">{error}</p>}
      {!history && !error && <p>Loading…</p>}
      {history && history.length === 0 && <p className="muted">No connection seen yet.</p>}
      {history && history.length > 0 && (
        <ul>
          {history.map((h) => (
            <li key={`${h.at}-${h.kind}`}>
              {new Date(h.at).toLocaleString()}: {h.kind === 'connected' ? 'connected to' : 'left'}{' '}
              {h.instanceId}
            </li>
          ))}
        </ul>
      )}
      {t.failedActions.length > 0 && (
        <p>Refused: {t.failedActions.map((f) => `${f.label} (${f.message})`).join('; ')}</p>
      )}
    </details>
  );
}

function TabletRow({ t, now, api }: { t: TabletSync; now: number; api: AdminApi }) {
  return (
    <tr data-testid="tablet-row">
      <th scope="row">
        {t.name}
        <TabletHistory api={api} t={t} />
      </th>
      <td>
        <span className={`verdict verdict-${t.verdict}`}>{VERDICT_TEXT[t.verdict]}</span>
        {t.reasons.length > 0 && <div className="muted">{t.reasons.join('; ')}</div>}
      </td>
      <td>
        {t.connected
          ? `Connected since ${ago(t.connectedSince, now)} on ${t.instanceId ?? '?'}`
          : `Offline since ${ago(t.offlineSince, now)}`}
        <div className="muted">Last seen {ago(t.lastSeen, now)}</div>
      </td>
      <td>
        {t.pending} pending{t.pending > 0 && `, oldest ${Math.round(t.oldestPendingAgeMs / 1000)} s`}
        {t.failedActions.length > 0 && (
          <ul className="failed-actions">
            {t.failedActions.map((f) => (
              <li key={`${f.createdAt}-${f.label}`}>
                {f.label}: {f.message}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {t.leases.length === 0
          ? 'none'
          : t.leases.map((l) => (
              <div key={l.sku}>
                {l.quantity} × {l.sku} until {new Date(l.until).toLocaleTimeString()}
                {l.overdue && <strong> (ended, not reported)</strong>}
              </div>
            ))}
      </td>
      <td>
        {t.appVersion ?? '—'}
        <div className="muted">reported {ago(t.reportedAt, now)}</div>
        {t.lastError && <div className="error">{t.lastError}</div>}
      </td>
    </tr>
  );
}

/** The heart of the console: every store and tablet, live, with the rules written on the page. */
export function SyncStatusPage({ api }: { api: AdminApi }) {
  const [overview, setOverview] = useState<SyncOverview>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = syncOverviewSchema.parse(await api.get('/api/admin/sync-overview'));
        if (live) {
          setOverview(next);
          setError('');
        }
      } catch (e) {
        if (live) setError(describeFailure(e));
      } finally {
        if (live) timer = setTimeout(load, REFRESH_MS);
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [api]);

  if (!overview) {
    return (
      <section className="page stack" aria-busy={!error}>
        <h1>Sync status</h1>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </section>
    );
  }
  const { now, health } = overview;
  return (
    <section className="page stack">
      <h1>Sync status</h1>
      {error && (
        <p role="alert" className="error">
          Not updating: {error}
        </p>
      )}
      <p className="muted" aria-live="polite">
        Updated {new Date(now).toLocaleTimeString()}, every {REFRESH_MS / 1000} s.
      </p>
      {overview.stores.map((store) => (
        <article key={store.storeId} className="card stack" data-testid="store-sync">
          <h2>
            {store.name}{' '}
            <span className={`verdict verdict-${store.verdict}`}>{VERDICT_TEXT[store.verdict]}</span>
          </h2>
          {store.reasons.length > 0 && <p>{store.reasons.join('; ')}</p>}
          {store.tablets.length === 0 ? (
            <p className="muted">No tablet is enrolled in this store.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">Tablets of {store.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Tablet</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Connection (seen by the server)</th>
                    <th scope="col">Outbox (reported)</th>
                    <th scope="col">Leases</th>
                    <th scope="col">App</th>
                  </tr>
                </thead>
                <tbody>
                  {store.tablets.map((t) => (
                    <TabletRow key={t.deviceId} t={t} now={now} api={api} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </article>
      ))}
      <Charts api={api} />
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
              Server {i.instanceId}: version {i.version}, up {ago(i.startedAt, now).replace(' ago', '')},
              heartbeat {ago(i.heartbeatAt, now)}, {i.tablets} tablets connected
            </li>
          ))}
        </ul>
        <ul>
          {health.streams.map((s) => (
            <li key={s.stream}>
              {s.stream}: {s.length} of about {s.cap} entries kept
            </li>
          ))}
        </ul>
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
