import { type FormEvent, useEffect, useState } from 'react';
import type { AdminAuditEntry, TabletView } from '../../../shared/api/admin-controls.ts';
import { typeNameOf } from '../../../shared/audit-events.ts';
import type { AdminApi } from './admin-api.ts';
import {
  type AuditFilters,
  entryTimeZone,
  filterTimeZone,
  KNOWN_TYPES,
  NO_FILTERS,
  zoneLabel,
} from './audit-filters.ts';
import { describeAuditEntry, storeMoment } from './audit-words.ts';
import { SelectField } from './SelectField.tsx';
import { useAuditExport } from './use-audit-export.ts';
import { useAuditLog } from './use-audit-log.ts';
import { storeName, useStores } from './use-stores.ts';
import './controls.css';

/** The audit log of every store and event, in words: filter, page back to the start, export as CSV. */
export function AuditPage({ api }: { api: AdminApi }) {
  const { stores } = useStores(api);
  const [events, setEvents] = useState<{ id: string; name: string }[]>([]);
  const [tablets, setTablets] = useState<TabletView[]>([]);
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const [live, setLive] = useState(true);
  const { entries, cursor, scanned, loading, error, liveState, newCount, loadOlder } = useAuditLog(
    api,
    applied,
    live,
  );
  const zoneOf = (entry: AdminAuditEntry) => entryTimeZone(entry, stores);
  const { exporting, exportCsv } = useAuditExport(api, applied, zoneOf);

  useEffect(() => {
    api.get<{ events: { id: string; name: string }[] }>('/api/events').then(
      (b) => setEvents(b.events),
      () => setEvents([]),
    );
    api.get<{ tablets: TabletView[] }>('/api/admin/tablets').then(
      (b) => setTablets(b.tablets),
      () => setTablets([]),
    );
  }, [api]);

  const filterZone = filterTimeZone(draft.storeId, stores);
  function apply(event: FormEvent) {
    event.preventDefault();
    setApplied({ ...draft, timeZone: filterZone });
  }

  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const sourceLabel = (source: string) =>
    source.startsWith('st:')
      ? storeName(stores, source.slice(3))
      : (events.find((e) => `ev:${e.id}` === source)?.name ?? source.slice(3));
  const busyExporting = exporting !== undefined && 'rows' in exporting;

  return (
    <div className="controls stack">
      <h1>Audit log</h1>
      <form className="card stack" onSubmit={apply} aria-label="Filter the audit log">
        <div className="form-grid">
          <SelectField
            label="Log"
            value={draft.source}
            onChange={(v) => set({ source: v as AuditFilters['source'] })}
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
            From ({zoneLabel(filterZone)})
            <input type="datetime-local" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label>
            To ({zoneLabel(filterZone)})
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
              setDraft(NO_FILTERS);
              setApplied(NO_FILTERS);
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
                <th scope="col">Time (store time)</th>
                <th scope="col">Log</th>
                <th scope="col">What happened</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.source}/${e.id}`} data-testid="audit-entry">
                  <td data-label="Time">{storeMoment(e.at, zoneOf(e))}</td>
                  <td data-label="Log">{sourceLabel(e.source)}</td>
                  <td data-label="What" className="details">
                    {describeAuditEntry(e, zoneOf(e))} <span className="muted">({typeNameOf(e)})</span>
                  </td>
                  <td data-label="Who">{e.names?.actor ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        {cursor !== null && (
          <button type="button" className="secondary" onClick={loadOlder} disabled={loading}>
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
