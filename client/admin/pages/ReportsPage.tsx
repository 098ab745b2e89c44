import { type FormEvent, useEffect, useState } from 'react';
import type { TabletView } from '../../../shared/api/admin-controls.ts';
import { type Report, reportSchema } from '../../../shared/api/reports.ts';
import { zoneName } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { csvField } from './audit-csv.ts';
import { SelectField } from './SelectField.tsx';
import { type StoreSummary, storeName, useStores } from './use-stores.ts';
import './controls.css';

type StoreReport = Report['stores'][number];

/** `YYYY-MM-DD` of `at` in this browser's zone, for the date fields' first values. */
function localDate(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const DAY_COLUMNS = [
  ['holdsMade', 'Holds made'],
  ['confirmed', 'Confirmed'],
  ['collected', 'Collected'],
  ['expired', 'Expired'],
  ['cancelled', 'Cancelled'],
  ['unitsReceived', 'Units received'],
] as const;

/** Every store's days as CSV, one row per store and day (RFC 4180). */
function reportCsv(report: Report): string {
  const header = ['store', 'date', ...DAY_COLUMNS.map(([key]) => key), 'medianMinutesToPickup'];
  const rows = report.stores.flatMap((s) =>
    s.days.map((d) =>
      [
        s.storeId,
        d.date,
        ...DAY_COLUMNS.map(([key]) => String(d[key])),
        String(d.medianMinutesToPickup ?? ''),
      ]
        .map(csvField)
        .join(','),
    ),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

function download(report: Report): void {
  const url = URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `holdfast-report-${report.from}-to-${report.to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Issue 17 §3: what the ledger says about each store's days, its events and its tablets' shrinkage. */
export function ReportsPage({ api }: { api: AdminApi }) {
  const { stores } = useStores(api);
  const [tabletNames, setTabletNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    api.get<{ tablets: TabletView[] }>('/api/admin/tablets').then(
      (b) => live && setTabletNames(new Map(b.tablets.map((t) => [t.deviceId, t.name]))),
      // Without names the tablets are shown by their ids.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  const [draft, setDraft] = useState({
    from: localDate(Date.now() - 6 * 86_400_000),
    to: localDate(Date.now()),
    storeId: '',
  });
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  async function show(event: FormEvent) {
    event.preventDefault();
    setLoading(true);
    setError(undefined);
    const q = new URLSearchParams({ from: draft.from, to: draft.to });
    if (draft.storeId) q.set('storeId', draft.storeId);
    try {
      setReport(reportSchema.parse(await api.get(`/api/admin/reports?${q}`)));
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="controls page wide stack">
      <h1>Reports</h1>
      <p>From the ledger: every day is the store's own day, in its time zone.</p>
      <form className="card stack" onSubmit={show}>
        <div className="form-grid">
          <SelectField
            label="Store"
            value={draft.storeId}
            onChange={(v) => setDraft({ ...draft, storeId: v })}
          >
            <option value="">All stores</option>
            {stores?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <label>
            First day
            <input
              type="date"
              required
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </label>
          <label>
            Last day
            <input
              type="date"
              required
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </label>
        </div>
        <div className="row">
          <button type="submit" disabled={loading}>
            Show reports
          </button>
          {report && (
            <button type="button" onClick={() => download(report)}>
              Download CSV
            </button>
          )}
        </div>
        {error && <p role="alert">{error}</p>}
      </form>
      {report?.stores.map((s) => (
        <StoreReportCard key={s.storeId} report={s} stores={stores} tabletNames={tabletNames} />
      ))}
    </section>
  );
}

function StoreReportCard({
  report,
  stores,
  tabletNames,
}: {
  report: StoreReport;
  stores: StoreSummary[] | undefined;
  tabletNames: Map<string, string>;
}) {
  const name = storeName(stores, report.storeId);
  const zone = zoneName(report.timeZone);
  return (
    <article className="card stack" aria-label={`Report for ${name}`}>
      <h2>
        {name} ({zone})
      </h2>
      {report.days.length === 0 ? (
        <p>No holds or stock received on these days.</p>
      ) : (
        <table className="grid">
          <caption>Pickup holds and stock received per day ({zone})</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {DAY_COLUMNS.map(([key, label]) => (
                <th key={key} scope="col">
                  {label}
                </th>
              ))}
              <th scope="col">Median to pickup</th>
            </tr>
          </thead>
          <tbody>
            {report.days.map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                {DAY_COLUMNS.map(([key]) => (
                  <td key={key}>{d[key]}</td>
                ))}
                <td>{d.medianMinutesToPickup === null ? '—' : `${d.medianMinutesToPickup} min`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.events.length > 0 && (
        <table className="grid">
          <caption>Appointments per event and day ({zone})</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Day</th>
              <th scope="col">Bookings</th>
              <th scope="col">Check-ins</th>
              <th scope="col">No-shows</th>
              <th scope="col">Cancellations</th>
            </tr>
          </thead>
          <tbody>
            {report.events.map((e) => (
              <tr key={`${e.eventId}-${e.date}`}>
                <th scope="row">{e.eventId}</th>
                <td>{e.date}</td>
                <td>{e.bookings}</td>
                <td>{e.checkIns}</td>
                <td>{e.noShows}</td>
                <td>{e.cancellations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.tablets.length > 0 && (
        <table className="grid">
          <caption>Shrinkage per tablet over these days</caption>
          <thead>
            <tr>
              <th scope="col">Tablet</th>
              <th scope="col">Units written off</th>
              <th scope="col">Units a count found missing</th>
            </tr>
          </thead>
          <tbody>
            {report.tablets.map((t) => (
              <tr key={t.deviceId}>
                <th scope="row">{tabletNames.get(t.deviceId) ?? t.deviceId}</th>
                <td>{t.writtenOff}</td>
                <td>{t.countShortfall}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
