import { Fragment, useEffect, useRef, useState } from 'react';
import type { AdminSlotView, SlotBookingView } from '../../../shared/api/admin-controls.ts';
import { zonedDateTime } from '../../ui/format.ts';
import { type AdminApi, describeFailure, newActionKey } from './admin-api.ts';

/** Whether the slot takes bookings now, in words; a slot not open yet says when, in its store's time. */
export function slotState(slot: AdminSlotView, now: number, timeZone: string): string {
  if (slot.closedAt !== undefined) return 'Closed';
  if (now >= slot.startsAt) return 'Started';
  if (now < slot.opensAt) return `Opens ${zonedDateTime(slot.opensAt, timeZone)}`;
  return slot.remaining === 0 ? 'Full' : 'Open';
}

/**
 * One slot of the table: seats booked, change the seats, close or reopen, and who booked.
 * The seats editor takes the focus when it opens and gives it back to its "Seats" button when
 * it closes (saved, cancelled or Escape), so a keyboard user goes on where they were.
 */
export function SlotRow({
  api,
  slot,
  label,
  time,
  store,
  timeZone,
  onDone,
  onFailed,
}: {
  api: AdminApi;
  slot: AdminSlotView;
  /** "Sat, Dec 12, 9:00 AM HST at Aiea": names the slot to assistive technology and in messages. */
  label: string;
  time: string;
  store: string;
  timeZone: string;
  onDone: (message: string, slot: AdminSlotView) => void;
  onFailed: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [seats, setSeats] = useState(String(slot.capacity));
  const [busy, setBusy] = useState(false);
  const [bookings, setBookings] = useState<SlotBookingView[] | 'loading'>();
  const seatsButton = useRef<HTMLButtonElement>(null);
  const seatsInput = useRef<HTMLInputElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) seatsInput.current?.focus();
    else if (wasEditing.current) seatsButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  function openEditor() {
    setSeats(String(slot.capacity));
    setEditing(true);
  }

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
        <td data-label="Status">{slotState(slot, Date.now(), timeZone)}</td>
        <td>
          {editing ? (
            <form
              className="row"
              aria-label={`Seats of ${label}`}
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                e.preventDefault();
                setEditing(false);
              }}
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
                  ref={seatsInput}
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
                ref={seatsButton}
                type="button"
                className="secondary"
                onClick={openEditor}
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
