import { type FormEvent, useEffect, useState } from 'react';
import type { StoreHoursAnswer } from '../../../shared/api/hours.ts';
import {
  type HoursException,
  type StoreHours,
  WEEKDAYS,
  type Weekday,
} from '../../../shared/opening-hours.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { formatRanges, parseRanges, refusalText } from './hours-text.ts';
import { Notice, type NoticeText } from './Notice.tsx';
import { ScheduleForm } from './ScheduleForm.tsx';
import { SelectField } from './SelectField.tsx';
import { useStores } from './use-stores.ts';
import './controls.css';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
/** The week as a store manager reads it, Monday first. */
const WEEK: Weekday[] = [...WEEKDAYS.slice(1), 'sun'];
const EMPTY_WEEK = Object.fromEntries(WEEKDAYS.map((d) => [d, ''])) as Record<Weekday, string>;

/** A store's week grid and dated exceptions (issue 21 §1), and each event's schedule there (§2). */
export function HoursPage({ api }: { api: AdminApi }) {
  const { stores, error: storesError } = useStores(api);
  const [storeId, setStoreId] = useState('');
  const [week, setWeek] = useState(EMPTY_WEEK);
  const [exceptions, setExceptions] = useState<HoursException[]>([]);
  const [today, setToday] = useState<string>();
  const [notice, setNotice] = useState<NoticeText>();
  const [busy, setBusy] = useState(false);
  const store = stores?.find((s) => s.id === storeId);

  useEffect(() => {
    if (!storeId && stores?.[0]) setStoreId(stores[0].id);
  }, [stores, storeId]);
  useEffect(() => {
    if (!storeId) return;
    let live = true;
    api.get<StoreHoursAnswer>(`/api/admin/stores/${encodeURIComponent(storeId)}/hours`).then(
      (answer) => {
        if (!live) return;
        const hours = answer.hours;
        setWeek(
          hours
            ? (Object.fromEntries(WEEKDAYS.map((d) => [d, formatRanges(hours.weekly[d])])) as Record<
                Weekday,
                string
              >)
            : EMPTY_WEEK,
        );
        setExceptions(hours?.exceptions ?? []);
        setToday(answer.today);
        setNotice(undefined);
      },
      (failure: unknown) =>
        live && setNotice({ ok: false, text: `Could not load the hours: ${describeFailure(failure)}` }),
    );
    return () => {
      live = false;
    };
  }, [api, storeId]);

  async function save(e: FormEvent) {
    e.preventDefault();
    const weekly: Partial<StoreHours['weekly']> = {};
    for (const day of WEEK) {
      const read = parseRanges(week[day]);
      if (!read.ok) {
        setNotice({ ok: false, text: `Not saved: ${DAY_NAMES[day]}: ${read.message}.` });
        return;
      }
      weekly[day] = read.ranges;
    }
    setBusy(true);
    try {
      const { body } = await api.send<StoreHoursAnswer>(
        'PUT',
        `/api/admin/stores/${encodeURIComponent(storeId)}/hours`,
        { weekly, exceptions },
      );
      setToday(body.today);
      setNotice({ ok: true, text: `Saved the hours of ${store?.name ?? storeId}. ${body.today ?? ''}` });
    } catch (failure) {
      setNotice({ ok: false, text: `Not saved: ${refusalText(failure)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="controls stack">
      <h1>Hours and schedules</h1>
      {storesError && (
        <p className="error" role="alert">
          Could not load the stores: {storesError}
        </p>
      )}
      {stores && (
        <SelectField label="Store" value={storeId} onChange={setStoreId}>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      )}
      {store && (
        <form className="stack" noValidate onSubmit={save}>
          <h2>Opening hours</h2>
          <p className="muted">
            Times in the store’s zone ({store.timeZone}), 24-hour clock. Several ranges a day are separated by
            commas (09:00-12:00, 13:00-17:00); leave a day empty when the store is closed.
            {today && ` Now: ${today}.`}
          </p>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {WEEK.map((day) => (
                <tr key={day}>
                  <th scope="row">
                    <label htmlFor={`hours-${day}`}>{DAY_NAMES[day]}</label>
                  </th>
                  <td>
                    <input
                      id={`hours-${day}`}
                      value={week[day]}
                      placeholder="Closed"
                      onChange={(e) => setWeek({ ...week, [day]: e.target.value })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ExceptionList exceptions={exceptions} onChange={setExceptions} />
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save hours'}
          </button>
          <Notice notice={notice} />
        </form>
      )}
      {store && <ScheduleForm api={api} store={store} />}
    </div>
  );
}

/** Holidays and other hours, by date, with a form to add one (saved with the week). */
function ExceptionList({
  exceptions,
  onChange,
}: {
  exceptions: HoursException[];
  onChange: (next: HoursException[]) => void;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [label, setLabel] = useState('');
  const [hours, setHours] = useState('');
  const [problem, setProblem] = useState<string>();
  const sorted = [...exceptions].sort((a, b) => a.from.localeCompare(b.from));

  function add() {
    const read = parseRanges(hours);
    if (!from || label.trim() === '') return setProblem('An exception needs a first day and a name.');
    if (!read.ok) return setProblem(read.message);
    if ((to || from) < from) return setProblem('The last day must not be before the first.');
    setProblem(undefined);
    onChange([...exceptions, { from, to: to || from, label: label.trim(), ranges: read.ranges }]);
    setFrom('');
    setTo('');
    setLabel('');
    setHours('');
  }

  return (
    <section className="stack" aria-labelledby="exceptions-heading">
      <h2 id="exceptions-heading">Holidays and other hours</h2>
      {sorted.length === 0 ? (
        <p className="muted">No exceptions: the week above applies every day.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">Dates</th>
              <th scope="col">Name</th>
              <th scope="col">Hours</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((x) => (
              <tr key={`${x.from}-${x.label}`}>
                <td>{x.from === x.to ? x.from : `${x.from} to ${x.to}`}</td>
                <td>{x.label}</td>
                <td>{x.ranges.length === 0 ? 'Closed all day' : formatRanges(x.ranges)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => onChange(exceptions.filter((e) => e !== x))}
                  >
                    Remove {x.label}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-grid">
        <label>
          First day
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          Last day (optional)
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Name
          <input value={label} placeholder="Thanksgiving" onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          Hours (empty: closed all day)
          <input value={hours} placeholder="Closed" onChange={(e) => setHours(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <button type="button" className="secondary" onClick={add}>
          Add exception
        </button>
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
      </div>
    </section>
  );
}
