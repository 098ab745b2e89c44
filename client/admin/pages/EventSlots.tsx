import { Fragment, useCallback, useEffect, useState } from 'react';
import type { AdminSlotView, SlotBookingView } from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure, newActionKey } from './admin-api.ts';
import { Notice } from './Notice.tsx';
import { SelectField } from './SelectField.tsx';
import { type StoreSummary, storeName } from './use-stores.ts';

function slotTime(slot: AdminSlotView, stores: StoreSummary[]): string {
  const timeZone = stores.find((s) => s.id === slot.storeId)?.timeZone;
  return new Date(slot.startsAt).toLocaleString([], {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

function slotState(slot: AdminSlotView, now: number): string {
  if (slot.closedAt !== undefined) return 'Closed';
  if (now >= slot.startsAt) return 'Started';
  if (now < slot.opensAt) return `Opens ${new Date(slot.opensAt).toLocaleString()}`;
  return slot.remaining === 0 ? 'Full' : 'Open';
}

/** One event's slots: seats booked, change seats, close or reopen, and who booked. */
export function EventSlots({
  api,
  eventId,
  stores,
}: {
  api: AdminApi;
  eventId: string;
  stores: StoreSummary[];
}) {
  const [storeId, setStoreId] = useState('');
  const [date, setDate] = useState('');
  const [slots, setSlots] = useState<AdminSlotView[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();

  const load = useCallback(async () => {
    const query = new URLSearchParams();
    if (storeId) query.set('storeId', storeId);
    if (date) query.set('date', date);
    try {
      const body = await api.get<{ slots: AdminSlotView[] }>(`/api/admin/events/${eventId}/slots?${query}`);
      setSlots(body.slots);
      setError(undefined);
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }, [api, eventId, storeId, date]);

  useEffect(() => {
    setSlots(undefined);
    void load();
  }, [load]);

  return (
    <section className="stack" aria-labelledby="slots-heading">
      <h2 id="slots-heading">Slots</h2>
      <div className="row">
        <SelectField label="Store" value={storeId} onChange={setStoreId} inline>
          <option value="">All stores</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <label className="inline">
          Day
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        {date && (
          <button type="button" className="secondary" onClick={() => setDate('')}>
            Coming week
          </button>
        )}
      </div>
      <Notice notice={notice} />
      {error && (
        <p className="error" role="alert">
          Could not load the slots: {error}
        </p>
      )}
      {slots === undefined && !error && <p className="muted">Loading slots…</p>}
      {slots?.length === 0 && (
        <p className="muted">No slots {date ? 'on this day' : 'in the coming week'}. Pick another day.</p>
      )}
      {slots && slots.length > 0 && (
        <div className="table-scroll">
          <table className="grid responsive">
            <caption className="visually-hidden">Slots of the event</caption>
            <thead>
              <tr>
                <th scope="col">Starts (store time)</th>
                <th scope="col">Store</th>
                <th scope="col">Booked</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {slots.map((slot) => (
                <SlotRow
                  key={slot.id}
                  api={api}
                  slot={slot}
                  label={`${slotTime(slot, stores)} at ${storeName(stores, slot.storeId)}`}
                  time={slotTime(slot, stores)}
                  store={storeName(stores, slot.storeId)}
                  onDone={(text, changed) => {
                    setNotice({ ok: true, text });
                    setSlots((list) => list?.map((s) => (s.id === changed.id ? changed : s)));
                  }}
                  onFailed={(text) => setNotice({ ok: false, text })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SlotRow({
  api,
  slot,
  label,
  time,
  store,
  onDone,
  onFailed,
}: {
  api: AdminApi;
  slot: AdminSlotView;
  label: string;
  time: string;
  store: string;
  onDone: (message: string, slot: AdminSlotView) => void;
  onFailed: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [seats, setSeats] = useState(String(slot.capacity));
  const [busy, setBusy] = useState(false);
  const [bookings, setBookings] = useState<SlotBookingView[] | 'loading'>();

  async function change(path: 'capacity' | 'closed', body: object, message: (s: AdminSlotView) => string) {
    setBusy(true);
    try {
      const { body: answer } = await api.send<{ slot: AdminSlotView }>(
        'PUT',
        `/api/admin/slots/${slot.id}/${path}`,
        body,
        newActionKey(`slot-${path}`),
      );
      setEditing(false);
      onDone(message(answer.slot), answer.slot);
    } catch (failure) {
      onFailed(`${label}: ${describeFailure(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  async function toggleBookings() {
    if (bookings !== undefined) {
      setBookings(undefined);
      return;
    }
    setBookings('loading');
    try {
      const body = await api.get<{ bookings: SlotBookingView[] }>(`/api/admin/slots/${slot.id}/bookings`);
      setBookings(body.bookings);
    } catch (failure) {
      setBookings(undefined);
      onFailed(`${label}: ${describeFailure(failure)}`);
    }
  }

  const closed = slot.closedAt !== undefined;
  return (
    <Fragment>
      <tr>
        <td data-label="Starts">{time}</td>
        <td data-label="Store">{store}</td>
        <td className="numeric" data-label="Booked">
          {slot.booked} of {slot.capacity}
        </td>
        <td data-label="Status">{slotState(slot, Date.now())}</td>
        <td>
          {editing ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void change(
                  'capacity',
                  { capacity: Number(seats) },
                  (s) => `${label} now has ${s.capacity} seats.`,
                );
              }}
            >
              <label>
                Seats<span className="visually-hidden"> for {label}</span>
                <input
                  className="seats-input"
                  type="number"
                  min={slot.booked}
                  max={100000}
                  value={seats}
                  onChange={(e) => setSeats(e.target.value)}
                  required
                />
              </label>
              <button type="submit" disabled={busy}>
                Save seats
              </button>
              <button type="button" className="secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <div className="row">
              <button
                type="button"
                className="secondary"
                onClick={() => setEditing(true)}
                aria-label={`Change seats of ${label}`}
              >
                Seats
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                aria-label={`${closed ? 'Reopen' : 'Close'} ${label}`}
                onClick={() =>
                  void change('closed', { closed: !closed }, (s) =>
                    s.closedAt !== undefined
                      ? `${label} is closed to new bookings; ${s.booked === 1 ? 'its 1 booking stays' : `its ${s.booked} bookings stay`}.`
                      : `${label} is open for booking again.`,
                  )
                }
              >
                {closed ? 'Reopen' : 'Close'}
              </button>
              <button
                type="button"
                className="secondary"
                aria-expanded={bookings !== undefined}
                aria-label={`Bookings of ${label}`}
                onClick={() => void toggleBookings()}
              >
                Bookings
              </button>
            </div>
          )}
        </td>
      </tr>
      {bookings !== undefined && (
        <tr>
          <td colSpan={5}>
            {bookings === 'loading' ? (
              <p className="muted">Loading bookings…</p>
            ) : bookings.length === 0 ? (
              <p className="muted">No bookings for this slot.</p>
            ) : (
              <ul aria-label={`Bookings of ${label}`}>
                {bookings.map((b) => (
                  <li key={b.id}>
                    <strong>{b.customer.name}</strong> {b.customer.email ?? ''} {b.customer.phone ?? ''} ·{' '}
                    {b.status.replace('_', ' ')}
                    {b.acknowledgedAt ? ' · received by the store' : ''}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      )}
    </Fragment>
  );
}
