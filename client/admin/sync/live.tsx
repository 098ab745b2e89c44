import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { TabletSync } from '../../../shared/api/admin-sync.ts';
import { zonedMoment } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from '../pages/admin-api.ts';

/** How often the sync pages ask again: a vanished tablet shows as offline within 10 s. */
export const REFRESH_MS = 2_000;

export const VERDICT_TEXT: Record<string, string> = {
  in_sync: 'In sync',
  behind: 'Behind',
  offline: 'Offline',
  needs_attention: 'Needs attention',
  removed: 'Removed',
  no_tablet_connected: 'No tablet connected',
};

export function Verdict({ verdict }: { verdict: string }) {
  return <span className={`verdict verdict-${verdict}`}>{VERDICT_TEXT[verdict] ?? verdict}</span>;
}

export function ago(at: number | undefined, now: number): string {
  if (at === undefined) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}

/** "9:25 AM HST (2 min ago)": when, in the store's zone, and how long ago; "never" for no time. */
export function when(at: number | undefined, now: number, timeZone: string): string {
  if (at === undefined) return 'never';
  return `${zonedMoment(at, now, timeZone)} (${ago(at, now)})`;
}

export const storeHref = (storeId: string) => `#store/${encodeURIComponent(storeId)}`;
export const tabletHref = (deviceId: string) => `#tablet/${encodeURIComponent(deviceId)}`;

/**
 * Reads `path` now and every REFRESH_MS while the page is open, checked against `schema`. A
 * failed read keeps the last good answer on screen beside the reason it is not updating.
 */
export function useLive<S extends z.ZodType>(api: AdminApi, path: string, schema: S) {
  const [data, setData] = useState<z.infer<S>>();
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setData(undefined);
    const load = async () => {
      try {
        const next = schema.parse(await api.get(path));
        if (live) {
          setData(next);
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
  }, [api, path, schema]);
  return { data, error };
}

/** The page's frame while its first answer is on the way, or when it cannot be read. */
export function Loading({ title, error }: { title: string; error: string }) {
  return (
    <section className="page stack" aria-busy={!error}>
      <h1>{title}</h1>
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

/** The page's last answer, in `timeZone` (a store's, or this browser's on pages of every store). */
export function NotUpdating({ error, now, timeZone }: { error: string; now: number; timeZone: string }) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          Not updating: {error}
        </p>
      )}
      <p className="muted" aria-live="polite">
        Updated {zonedMoment(now, now, timeZone, { seconds: true })}, every {REFRESH_MS / 1000} s.
      </p>
    </>
  );
}

/** A tablet's times, in its store's zone: `now` is the server's, so "today" is the store's. */
interface TabletTimes {
  t: TabletSync;
  now: number;
  timeZone: string;
}

export function Leases({ t, now, timeZone }: TabletTimes) {
  if (t.leases.length === 0) return <>none</>;
  return (
    <>
      {t.leases.map((l) => (
        <div key={l.sku}>
          {l.quantity} × {l.sku} until {zonedMoment(l.until, now, timeZone)}
          {l.overdue && <strong> (ended, not reported)</strong>}
        </div>
      ))}
    </>
  );
}

export function FailedActions({ t, now, timeZone }: TabletTimes) {
  if (t.failedActions.length === 0) return null;
  return (
    <ul className="failed-actions">
      {t.failedActions.map((f) => (
        <li key={`${f.createdAt}-${f.label}`}>
          {f.label}: {f.message}{' '}
          <span className="muted">
            (refused {zonedMoment(f.refusedAt, now, timeZone)} by the tablet's clock)
          </span>
        </li>
      ))}
    </ul>
  );
}

/** What the server sees of a tablet's socket, in words, with store times. */
export function connectionText(t: TabletSync, now: number, timeZone: string): string {
  return t.connected
    ? `Connected since ${when(t.connectedSince, now, timeZone)} on ${t.instanceId ?? '?'}`
    : `Offline since ${when(t.offlineSince, now, timeZone)}`;
}

/** One tablet as a row of a store's table; its name opens its own page. */
export function TabletRow({ t, now, timeZone }: TabletTimes) {
  return (
    <tr data-testid="tablet-row">
      <th scope="row">
        <a href={tabletHref(t.deviceId)}>{t.name}</a>
      </th>
      <td>
        <Verdict verdict={t.verdict} />
        {t.reasons.length > 0 && <div className="muted">{t.reasons.join('; ')}</div>}
      </td>
      <td>
        {connectionText(t, now, timeZone)}
        <div className="muted">Last seen {when(t.lastSeen, now, timeZone)}</div>
      </td>
      <td>
        {t.pending} pending{t.pending > 0 && `, oldest ${Math.round(t.oldestPendingAgeMs / 1000)} s`}
        <FailedActions t={t} now={now} timeZone={timeZone} />
      </td>
      <td>
        <Leases t={t} now={now} timeZone={timeZone} />
      </td>
      <td>
        {t.appVersion ?? '—'}
        <div className="muted">reported {when(t.reportedAt, now, timeZone)}</div>
        {t.lastError && <div className="error">{t.lastError}</div>}
      </td>
    </tr>
  );
}

export function TabletTable({
  name,
  tablets,
  now,
  timeZone,
}: {
  name: string;
  tablets: TabletSync[];
  now: number;
  timeZone: string;
}) {
  if (tablets.length === 0) return <p className="muted">No tablet is enrolled in this store.</p>;
  return (
    // A scrollable region must be reachable by keyboard (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
    <section className="table-scroll" tabIndex={0} aria-label={`Tablets of ${name}`}>
      <table>
        <caption className="visually-hidden">Tablets of {name}</caption>
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
          {tablets.map((t) => (
            <TabletRow key={t.deviceId} t={t} now={now} timeZone={timeZone} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
