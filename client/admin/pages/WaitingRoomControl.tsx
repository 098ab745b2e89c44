import { useCallback, useEffect, useId, useState } from 'react';
import type { WaitingRoomAdminView } from '../../../shared/api/waiting-room.ts';
import { dateInZone, timeInZone, zonedTimeToEpochMs } from '../../../shared/time.ts';
import { zonedDateTime, zoneName } from '../../ui/format.ts';
import { type AdminApi, ApiError, describeFailure } from './admin-api.ts';
import { Notice } from './Notice.tsx';

/** How often the counts are read again while the page is open. */
const REFRESH_MS = 5_000;

/** `2026-11-24T00:00` in `timeZone`, as a datetime-local input holds it. */
function toLocalInput(at: number, timeZone: string): string {
  return `${dateInZone(at, timeZone)}T${timeInZone(at, timeZone)}`;
}

/** The instant a datetime-local input's `2026-11-24T00:00` names in `timeZone`. */
function fromLocalInput(value: string, timeZone: string): number {
  const [date = '', time = '00:00'] = value.split('T');
  return zonedTimeToEpochMs(date, time, timeZone);
}

/**
 * The opening the form shows: a room that is on keeps its own (saving again must not move a
 * running room's T0); a room that is off shows none, meaning "the next release".
 */
function openingInput(room: WaitingRoomAdminView, timeZone: string): string {
  return room.enabled ? toLocalInput(room.opensAt, timeZone) : '';
}

/**
 * An event release's waiting room (issue 10 §3): on or off, how many customers are let in per
 * minute (or, following the booking rate, how many may be booking at once) and how long their
 * turn lasts; with what the line looks like now. Its opening is read and typed in `timeZone`
 * (the stores', when they share one), labelled.
 */
export function WaitingRoomControl({
  api,
  eventId,
  timeZone,
}: {
  api: AdminApi;
  eventId: string;
  timeZone: string;
}) {
  const id = useId();
  const [room, setRoom] = useState<WaitingRoomAdminView>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [form, setForm] = useState({
    enabled: false,
    perMinute: '600',
    ticketMinutes: '10',
    perConnection: '1',
    opensAt: '',
    followBookings: false,
    activeLimit: '100',
  });
  const [busy, setBusy] = useState(false);
  const path = `/api/admin/events/${encodeURIComponent(eventId)}/waiting-room`;

  const load = useCallback(async () => {
    try {
      const body = await api.get<WaitingRoomAdminView>(path);
      setRoom(body);
      setError(undefined);
      return body;
    } catch (failure) {
      setError(describeFailure(failure));
      return undefined;
    }
  }, [api, path]);

  useEffect(() => {
    void load().then((body) => {
      if (!body || body.admissionsPerMinute === 0) return;
      setForm({
        enabled: body.enabled,
        perMinute: String(body.admissionsPerMinute),
        ticketMinutes: String(body.ticketMinutes),
        perConnection: String(body.placesPerConnection),
        opensAt: openingInput(body, timeZone),
        followBookings: body.activeLimit !== undefined,
        activeLimit: String(body.activeLimit ?? 100),
      });
    });
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, timeZone]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(undefined);
    setFieldErrors({});
    try {
      const body = {
        enabled: form.enabled,
        admissionsPerMinute: Number(form.perMinute),
        ticketMinutes: Number(form.ticketMinutes),
        placesPerConnection: Number(form.perConnection),
        ...(form.opensAt ? { opensAt: fromLocalInput(form.opensAt, timeZone) } : {}),
        ...(form.followBookings ? { activeLimit: Number(form.activeLimit) } : {}),
      };
      const { body: saved } = await api.send<WaitingRoomAdminView>('PUT', path, body);
      setRoom(saved);
      setForm((f) => ({ ...f, opensAt: openingInput(saved, timeZone) }));
      setNotice({ ok: true, text: saved.enabled ? 'The waiting room is on.' : 'The waiting room is off.' });
    } catch (failure) {
      if (failure instanceof ApiError) setFieldErrors(failure.fieldErrors());
      setNotice({ ok: false, text: `Not saved: ${describeFailure(failure)}` });
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: 'perMinute' | 'ticketMinutes' | 'perConnection' | 'activeLimit',
    label: string,
    wire: string,
    min: number,
    max: number,
  ) => (
    <label className="inline">
      {label}
      <input
        type="number"
        min={min}
        max={max}
        value={form[name]}
        aria-invalid={fieldErrors[wire] ? true : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {fieldErrors[wire] && <span className="error">{fieldErrors[wire]}</span>}
    </label>
  );

  return (
    <section className="stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Waiting room</h2>
      {error && (
        <p className="error" role="alert">
          Could not load the waiting room: {error}
        </p>
      )}
      {room?.clientAddressWarning && <p className="error">{room.clientAddressWarning}</p>}
      {room && (
        <p className="muted" data-testid="waiting-room-status">
          {room.enabled
            ? `On: opens ${zonedDateTime(room.opensAt, timeZone)}. ${room.waiting} waiting, ${room.admitted} let in, ${room.expired} turns ran out.`
            : 'Off: customers book directly.'}
          {room.enabled &&
            room.activeLimit !== undefined &&
            ` Following bookings: ${room.active} of at most ${room.activeLimit} let in and not booked yet${
              room.measuredPerMinute === undefined
                ? '.'
                : `; the line moves at ${Math.round(room.measuredPerMinute)} a minute.`
            }`}
          {room.soldOutAt !== undefined && ' Every released spot is taken; everyone waiting was told.'}
        </p>
      )}
      <form className="stack" onSubmit={save}>
        <label className="inline">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />
          Waiting room on (bookings need a turn in the line)
        </label>
        <div className="row wrap">
          {field(
            'perMinute',
            form.followBookings ? 'At most let in per minute' : 'Customers let in per minute',
            'admissionsPerMinute',
            1,
            100_000,
          )}
          {field('ticketMinutes', 'Turn lasts (minutes)', 'ticketMinutes', 1, 60)}
          {field('perConnection', 'Places per connection', 'placesPerConnection', 1, 50)}
          <label className="inline">
            Opens at, {zoneName(timeZone)} (empty: the next release)
            <input
              type="datetime-local"
              value={form.opensAt}
              onChange={(e) => setForm({ ...form, opensAt: e.target.value })}
            />
          </label>
        </div>
        <label className="inline">
          <input
            type="checkbox"
            checked={form.followBookings}
            onChange={(e) => setForm({ ...form, followBookings: e.target.checked })}
          />
          Follow the booking rate (each booking, or turn run out, lets the next customer in)
        </label>
        {form.followBookings && (
          <div className="row wrap">
            {field('activeLimit', 'Customers booking at once, at most', 'activeLimit', 1, 100_000)}
          </div>
        )}
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save waiting room'}
          </button>
        </div>
      </form>
      <Notice notice={notice} />
    </section>
  );
}
