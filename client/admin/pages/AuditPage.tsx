import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { AdminAuditEntry, AdminAuditPage, TabletView } from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { actorLabel, auditCsvHeader, auditCsvRow } from './audit-csv.ts';
import { SelectField } from './SelectField.tsx';
import { storeName, useStores } from './use-stores.ts';
import './controls.css';

const PAGE_SIZE = 100;
const EXPORT_PAGE_SIZE = 500;
/** Entry types written today, offered as suggestions (any type or prefix may be typed). */
const KNOWN_TYPES = [
  'stock',
  'stock.receive',
  'stock.count',
  'stock.sale',
  'stock.write_off',
  'stock.shortfall',
  'hold',
  'hold.created',
  'hold.confirm',
  'hold.ack',
  'hold.accept',
  'hold.pick',
  'hold.hand_over',
  'hold.cancel',
  'hold.expired',
  'lease',
  'lease.taken',
  'lease.returned',
  'lease.revoked',
  'lease.expired',
  'catalog.imported',
  'booking',
  'booking.created',
  'booking.cancel',
  'booking.rescheduled',
  'booking.moved_away',
  'booking.ack',
  'booking.check_in',
  'booking.no_show',
  'slot',
  'slot.capacity_changed',
  'slot.closed',
  'slot.reopened',
];

interface Filters {
  source: 'all' | 'stores' | 'events';
  storeId: string;
  eventId: string;
  type: string;
  sku: string;
  deviceId: string;
  actor: string;
  from: string;
  to: string;
}

const EMPTY: Filters = {
  source: 'all',
  storeId: '',
  eventId: '',
  type: '',
  sku: '',
  deviceId: '',
  actor: '',
  from: '',
  to: '',
};

/** The query string of the filters (datetime-local values are the admin's local time). */
function queryOf(f: Filters): URLSearchParams {
  const q = new URLSearchParams({ source: f.source });
  for (const key of ['storeId', 'eventId', 'type', 'sku', 'deviceId', 'actor'] as const) {
    if (f[key].trim()) q.set(key, f[key].trim());
  }
  if (f.from) q.set('from', String(new Date(f.from).getTime()));
  if (f.to) q.set('to', String(new Date(f.to).getTime() + 59_999));
  return q;
}

/** What an entry is about, in a few words. */
function summary(e: AdminAuditEntry): string {
  return Object.entries(e.data)
    .filter(([key, value]) => key !== 'storeId' && value !== null && value !== '')
    .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

/** The audit log of every store and event: filter, page back to the start, export as CSV. */
export function AuditPage({ api }: { api: AdminApi }) {
  const { stores } = useStores(api);
  const [events, setEvents] = useState<{ id: string; name: string }[]>([]);
  const [tablets, setTablets] = useState<TabletView[]>([]);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [entries, setEntries] = useState<AdminAuditEntry[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [scanned, setScanned] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(true);
  const [liveState, setLiveState] = useState<'connecting' | 'live' | 'off'>('off');
  const [newCount, setNewCount] = useState(0);
  const [exporting, setExporting] = useState<{ rows: number } | { done: string } | { failed: string }>();

  useEffect(() => {
    api.get<{ events: { id: string; name: string }[] }>('/api/events').then(
      (b) => setEvents(b.events),
      () => setEvents([]),
    );
  }, [api]);

  // Tablets name the entries they made; a tablet enrolled since the page opened is read again.
  const [tabletsVersion, setTabletsVersion] = useState(0);
  const knownTablets = useRef(new Set<string>());
  useEffect(() => {
    void tabletsVersion;
    api.get<{ tablets: TabletView[] }>('/api/admin/tablets').then(
      (b) => {
        knownTablets.current = new Set(b.tablets.map((t) => t.deviceId));
        setTablets(b.tablets);
      },
      () => setTablets([]),
    );
  }, [api, tabletsVersion]);

  const fetchPage = useCallback(
    async (filters: Filters, after: string | null) => {
      setLoading(true);
      try {
        const q = queryOf(filters);
        q.set('limit', String(PAGE_SIZE));
        if (after) q.set('cursor', after);
        const page = await api.get<AdminAuditPage>(`/api/admin/audit?${q}`);
        setEntries((list) => (after ? [...(list ?? []), ...page.entries] : page.entries));
        setCursor(page.nextCursor);
        setScanned((n) => (after ? n + page.scanned : page.scanned));
        setError(undefined);
      } catch (failure) {
        setError(describeFailure(failure));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchPage(applied, null);
  }, [fetchPage, applied]);

  // New entries arrive from the live feed while the filters have no end time.
  useEffect(() => {
    if (!live || applied.to) {
      setLiveState('off');
      return;
    }
    const q = queryOf(applied);
    q.delete('from');
    q.delete('to');
    const controller = new AbortController();
    let readies = 0;
    setLiveState('connecting');
    setNewCount(0);
    api
      .events(
        `/api/admin/audit/live?${q}`,
        (event, data) => {
          if (event === 'ready') {
            setLiveState('live');
            // After a reconnect, entries written while away are read with the newest page.
            if (readies++ > 0) void fetchPage(applied, null);
          } else if (event === 'entry') {
            const entry = JSON.parse(data) as AdminAuditEntry;
            const deviceId = (entry.actor as { deviceId?: string } | null)?.deviceId;
            if (deviceId && !knownTablets.current.has(deviceId)) {
              knownTablets.current.add(deviceId);
              setTabletsVersion((v) => v + 1);
            }
            setEntries((list) =>
              list?.some((e) => e.id === entry.id && e.source === entry.source)
                ? list
                : [entry, ...(list ?? [])],
            );
            setNewCount((n) => n + 1);
          }
        },
        controller.signal,
      )
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(describeFailure(failure));
      });
    return () => controller.abort();
  }, [api, applied, live, fetchPage]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setApplied({ ...draft });
  }

  async function exportCsv() {
    const parts = [auditCsvHeader()];
    let rows = 0;
    let after: string | null = null;
    setExporting({ rows });
    try {
      do {
        const q = queryOf(applied);
        q.set('limit', String(EXPORT_PAGE_SIZE));
        if (after) q.set('cursor', after);
        const page: AdminAuditPage = await api.get<AdminAuditPage>(`/api/admin/audit?${q}`);
        for (const e of page.entries) parts.push(`${auditCsvRow(e)}\r\n`);
        rows += page.entries.length;
        after = page.nextCursor;
        setExporting({ rows });
      } while (after);
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `holdfast-audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExporting({ done: `Exported ${rows.toLocaleString()} entries.` });
    } catch (failure) {
      setExporting({
        failed: `The export stopped after ${rows.toLocaleString()} entries: ${describeFailure(failure)}`,
      });
    }
  }

  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  const sourceLabel = (source: string) =>
    source.startsWith('st:')
      ? storeName(stores, source.slice(3))
      : (events.find((e) => `ev:${e.id}` === source)?.name ?? source.slice(3));
  const who = (actor: unknown) => {
    const deviceId = (actor as { deviceId?: string } | null)?.deviceId;
    const tablet = deviceId ? tablets.find((t) => t.deviceId === deviceId) : undefined;
    return tablet ? `${tablet.name} (tablet)` : actorLabel(actor);
  };
  const busyExporting = exporting !== undefined && 'rows' in exporting;

  return (
    <div className="controls stack">
      <h1>Audit log</h1>
      <form className="card stack" onSubmit={apply} aria-label="Filter the audit log">
        <div className="form-grid">
          <SelectField
            label="Log"
            value={draft.source}
            onChange={(v) => set({ source: v as Filters['source'] })}
          >
            <option value="all">Stores and events</option>
            <option value="stores">Stores only</option>
            <option value="events">Events only</option>
          </SelectField>
          <SelectField label="Store" value={draft.storeId} onChange={(v) => set({ storeId: v })}>
            <option value="">Any store</option>
            {stores?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Event" value={draft.eventId} onChange={(v) => set({ eventId: v })}>
            <option value="">Any event</option>
            {events.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </SelectField>
          <label>
            Type
            <input
              list="audit-types"
              value={draft.type}
              onChange={(e) => set({ type: e.target.value })}
              placeholder="e.g. hold or lease.revoked"
            />
            <datalist id="audit-types">
              {KNOWN_TYPES.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </label>
          <label>
            SKU
            <input value={draft.sku} onChange={(e) => set({ sku: e.target.value })} />
          </label>
          <SelectField label="Tablet" value={draft.deviceId} onChange={(v) => set({ deviceId: v })}>
            <option value="">Any tablet</option>
            {tablets.map((t) => (
              <option key={t.deviceId} value={t.deviceId}>
                {t.name} ({storeName(stores, t.storeId)})
              </option>
            ))}
          </SelectField>
          <SelectField label="Who" value={draft.actor} onChange={(v) => set({ actor: v })}>
            <option value="">Anyone</option>
            <option value="admin">Admins</option>
            <option value="staff">Staff (tablets)</option>
            <option value="customer">Customers</option>
            <option value="system">The system (expiry)</option>
          </SelectField>
          <label>
            From
            <input type="datetime-local" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
          </label>
        </div>
        <div className="row">
          <button type="submit" disabled={loading}>
            Show entries
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            Clear filters
          </button>
          <button type="button" className="secondary" onClick={exportCsv} disabled={busyExporting}>
            {busyExporting ? 'Exporting…' : 'Export CSV'}
          </button>
          <label className="choice">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
            Show new entries as they happen
          </label>
          <span className="muted" data-testid="live-state">
            {liveState === 'live'
              ? `Live${newCount > 0 ? `: ${newCount} new since the filters were applied` : ''}`
              : liveState === 'connecting'
                ? 'Connecting to the live feed…'
                : applied.to
                  ? 'Not live: the filters end at a set time'
                  : ''}
          </span>
        </div>
        <div aria-live="polite">
          {exporting && 'rows' in exporting && (
            <p className="muted">Exporting… {exporting.rows.toLocaleString()} entries so far</p>
          )}
          {exporting && 'done' in exporting && <p className="notice ok">{exporting.done}</p>}
        </div>
        {exporting && 'failed' in exporting && (
          <p className="notice error" role="alert">
            {exporting.failed}
          </p>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          Could not read the audit log: {error}
        </p>
      )}
      {entries === undefined && !error && <p className="muted">Loading entries…</p>}
      {entries?.length === 0 && !loading && (
        <p className="muted">
          No entry matches{cursor ? ` among the ${scanned.toLocaleString()} newest` : ''}.
        </p>
      )}
      {entries && entries.length > 0 && (
        <div className="table-scroll">
          <table className="grid responsive">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Log</th>
                <th scope="col">Type</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.source}/${e.id}`} data-testid="audit-entry">
                  <td data-label="Time">{new Date(e.at).toLocaleString()}</td>
                  <td data-label="Log">{sourceLabel(e.source)}</td>
                  <td data-label="Type">{e.type}</td>
                  <td data-label="Who">{who(e.actor)}</td>
                  <td className="details">{summary(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        {cursor !== null && (
          <button
            type="button"
            className="secondary"
            onClick={() => void fetchPage(applied, cursor)}
            disabled={loading}
          >
            {loading ? 'Loading…' : 'Load older entries'}
          </button>
        )}
        {entries && (
          <p className="muted" aria-live="polite">
            {entries.length.toLocaleString()} shown. {cursor === null ? 'This is the start of the log.' : ''}
          </p>
        )}
      </div>
    </div>
  );
}
