import { type FormEvent, useEffect, useState } from 'react';
import type { EventView } from '../../../shared/api/bookings.ts';
import type { EventSchedule } from '../../../shared/event-schedule.ts';
import { WEEKDAYS, type Weekday } from '../../../shared/opening-hours.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { formatRanges, parseRanges, refusalText } from './hours-text.ts';
import { Notice, type NoticeText } from './Notice.tsx';
import { SelectField } from './SelectField.tsx';
import type { StoreSummary } from './use-stores.ts';

const SHORT: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const WEEK: Weekday[] = [...WEEKDAYS.slice(1), 'sun'];

interface Fields {
  weekdays: Weekday[];
  hours: string;
  slotMinutes: string;
  capacity: string;
  daysAhead: string;
}
const DEFAULTS: Fields = {
  weekdays: [...WEEK],
  hours: '',
  slotMinutes: '30',
  capacity: '10',
  daysAhead: '14',
};

function fieldsOf(schedule: EventSchedule | undefined): Fields {
  if (!schedule) return DEFAULTS;
  return {
    weekdays: schedule.weekdays,
    hours: formatRanges(schedule.ranges ?? []),
    slotMinutes: String(schedule.slotMinutes),
    capacity: String(schedule.capacity),
    daysAhead: String(schedule.daysAhead),
  };
}

/** An event's schedule at the store: the server keeps its window of days filled by itself. */
export function ScheduleForm({ api, store }: { api: AdminApi; store: StoreSummary }) {
  const [events, setEvents] = useState<EventView[]>();
  const [eventId, setEventId] = useState('');
  const [fields, setFields] = useState<Fields>(DEFAULTS);
  const [active, setActive] = useState(false);
  const [notice, setNotice] = useState<NoticeText>();
  const [busy, setBusy] = useState(false);
  const base = `/api/admin/events/${encodeURIComponent(eventId)}/schedules/${encodeURIComponent(store.id)}`;

  useEffect(() => {
    api.get<{ events: EventView[] }>('/api/events').then(
      (body) => {
        setEvents(body.events);
        setEventId((current) => current || body.events[0]?.id || '');
      },
      (failure: unknown) =>
        setNotice({ ok: false, text: `Could not load the events: ${describeFailure(failure)}` }),
    );
  }, [api]);
  useEffect(() => {
    if (!eventId) return;
    let live = true;
    api
      .get<{ schedules: Record<string, EventSchedule> }>(
        `/api/admin/events/${encodeURIComponent(eventId)}/schedules`,
      )
      .then(
        (body) => {
          if (!live) return;
          setFields(fieldsOf(body.schedules[store.id]));
          setActive(body.schedules[store.id] !== undefined);
          setNotice(undefined);
        },
        (failure: unknown) => live && setNotice({ ok: false, text: describeFailure(failure) }),
      );
    return () => {
      live = false;
    };
  }, [api, eventId, store.id]);

  async function save(e: FormEvent) {
    e.preventDefault();
    const hours = parseRanges(fields.hours);
    if (!hours.ok) return setNotice({ ok: false, text: `Not saved: ${hours.message}.` });
    const schedule: EventSchedule = {
      weekdays: WEEK.filter((d) => fields.weekdays.includes(d)),
      slotMinutes: Number(fields.slotMinutes),
      capacity: Number(fields.capacity),
      daysAhead: Number(fields.daysAhead),
      ...(hours.ranges.length > 0 ? { ranges: hours.ranges } : {}),
    };
    setBusy(true);
    try {
      const { body } = await api.send<{ filled: { created: number; removed: number; kept: number } }>(
        'PUT',
        base,
        schedule,
      );
      setActive(true);
      const kept = body.filled.kept > 0 ? `; ${body.filled.kept} booked slots keep their time` : '';
      setNotice({
        ok: true,
        text: `Saved: ${body.filled.created} slots made, ${body.filled.removed} removed${kept}. The next ${schedule.daysAhead} days stay filled.`,
      });
    } catch (failure) {
      setNotice({ ok: false, text: `Not saved: ${refusalText(failure)}` });
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    setBusy(true);
    try {
      await api.send('DELETE', base);
      setActive(false);
      setNotice({ ok: true, text: 'Schedule stopped: no new days are made; slots already made stay.' });
    } catch (failure) {
      setNotice({ ok: false, text: `Not stopped: ${describeFailure(failure)}` });
    } finally {
      setBusy(false);
    }
  }

  const set = (patch: Partial<Fields>) => setFields({ ...fields, ...patch });
  return (
    <section className="stack" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Event schedule at {store.name}</h2>
      {events && events.length === 0 && (
        <p className="muted">No events yet: create one under Events and slots.</p>
      )}
      {events && events.length > 0 && (
        <form className="stack" noValidate onSubmit={save}>
          <SelectField label="Event" value={eventId} onChange={setEventId}>
            {events.map((ev) => (
              <option key={ev.id} value={ev.id}>
                {ev.name}
              </option>
            ))}
          </SelectField>
          <p className="muted">{active ? 'This schedule is running.' : 'No schedule here yet.'}</p>
          <fieldset className="row">
            <legend>Days</legend>
            {WEEK.map((d) => (
              <label key={d} className="inline">
                <input
                  type="checkbox"
                  checked={fields.weekdays.includes(d)}
                  onChange={(e) =>
                    set({
                      weekdays: e.target.checked
                        ? [...fields.weekdays, d]
                        : fields.weekdays.filter((x) => x !== d),
                    })
                  }
                />
                {SHORT[d]}
              </label>
            ))}
          </fieldset>
          <div className="form-grid">
            <label>
              Hours (empty: the store’s opening hours)
              <input
                value={fields.hours}
                placeholder="Opening hours"
                onChange={(e) => set({ hours: e.target.value })}
              />
            </label>
            <label>
              Minutes per slot
              <input
                type="number"
                min={5}
                max={480}
                value={fields.slotMinutes}
                onChange={(e) => set({ slotMinutes: e.target.value })}
              />
            </label>
            <label>
              Seats per slot
              <input
                type="number"
                min={1}
                value={fields.capacity}
                onChange={(e) => set({ capacity: e.target.value })}
              />
            </label>
            <label>
              Days ahead
              <input
                type="number"
                min={1}
                max={92}
                value={fields.daysAhead}
                onChange={(e) => set({ daysAhead: e.target.value })}
              />
            </label>
          </div>
          <div className="row">
            <button type="submit" disabled={busy}>
              Save schedule
            </button>
            {active && (
              <button type="button" className="secondary" disabled={busy} onClick={stop}>
                Stop schedule
              </button>
            )}
          </div>
          <Notice notice={notice} />
        </form>
      )}
    </section>
  );
}
