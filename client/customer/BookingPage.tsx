import { useEffect, useState } from 'react';
import {
  bookingViewSchema,
  type CustomerBooking,
  customerBookingSchema,
  eventListSchema,
} from '../../shared/api/bookings.ts';
import { calendarFile } from '../../shared/ics.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { CustomerError, followLive, getJson, newActionKey, sendJson } from './api.ts';
import { useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { ManagedGate, StoreReceipt } from './Managed.tsx';
import { useFragmentToken, useTitle } from './router.ts';
import { ConfirmButton } from './Steps.tsx';
import { SLOT_STATE_TEXT, useLiveSlots } from './slots.ts';
import { storeDay, storeTime } from './time.ts';
import { readSavedPlace } from './waiting-room-place.ts';

const STATUS_TEXT: Record<CustomerBooking['status'], string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  no_show: 'Missed',
  cancelled: 'Cancelled',
};

/** One booking: its time in the store's zone, status, calendar file, reschedule, cancel. */
export function BookingPage({ bookingId }: { bookingId: string }) {
  const token = useFragmentToken();
  const { byId } = useStores();
  const [booking, setBooking] = useState<CustomerBooking>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [moving, setMoving] = useState(false);
  const [target, setTarget] = useState<string>();
  const [keys, setKeys] = useState(() => ({ move: newActionKey('move'), cancel: newActionKey('cancel') }));
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  useTitle('Your appointment');

  const path = `/api/bookings/${encodeURIComponent(bookingId)}`;
  useEffect(() => {
    if (!token) return;
    getJson(path, customerBookingSchema, token).then(setBooking, (e: Error) => setError(e.message));
    return followLive(
      `/api/live/bookings/${encodeURIComponent(bookingId)}`,
      (event, data) => {
        if (event !== 'booking') return;
        const parsed = customerBookingSchema.safeParse(JSON.parse(data));
        if (parsed.success) setBooking(parsed.data);
      },
      { token },
    );
  }, [bookingId, token, path]);

  const eventId = booking?.eventId ?? bookingId.split('.')[0] ?? '';
  // A move into a release behind a waiting room takes this browser's turn in its line, if any.
  const ticket = readSavedPlace(eventId)?.token;
  const { slots } = useLiveSlots(eventId);

  if (!token || !booking) {
    return <ManagedGate title="Your appointment" what="appointment" token={token} error={error} />;
  }
  const store = byId.get(booking.storeId);
  const zone = store?.timeZone ?? 'UTC';
  const event = events.value?.events.find((e) => e.id === booking.eventId);
  const slot = slots?.find((s) => s.id === booking.slotId);
  const ack = booking.storeAcknowledgement;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    try {
      await action();
      setBooking(await getJson(path, customerBookingSchema, token));
      return true;
    } catch (e) {
      setError(e instanceof CustomerError ? e.message : 'Something went wrong. Please try again.');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const downloadCalendar = () => {
    const ics = calendarFile({
      uid: `${booking.id}@holdfast`,
      title: `${event?.name ?? 'Appointment'} at ${store?.name ?? booking.storeId}`,
      startsAt: booking.startsAt,
      endsAt: slot?.endsAt ?? booking.startsAt + 30 * 60_000,
      location: store ? `${store.name}, ${store.address}` : booking.storeId,
      description: `Manage your booking: ${window.location.href}`,
      now: Date.now(),
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
    link.download = 'appointment.ics';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const others = (slots ?? []).filter((s) => s.id !== booking.slotId && s.startsAt > Date.now());
  return (
    <main className="page narrow stack">
      <h1>Your appointment</h1>
      <p className="status-line" aria-live="polite">
        <strong>{STATUS_TEXT[booking.status]}</strong> · {event?.name ?? booking.eventId}
      </p>
      <p data-testid="booking-when">
        {storeDay(booking.startsAt, zone)} at{' '}
        <strong data-testid="booking-time">{storeTime(booking.startsAt, zone)}</strong>
        {store && (
          <>
            {' '}
            at {store.name}, {store.address}
          </>
        )}
      </p>
      <StoreReceipt ack={ack} active={booking.status === 'booked'} zone={zone} what="booking" />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {booking.status === 'booked' && (
        <div className="stack">
          <button type="button" onClick={downloadCalendar}>
            Add to calendar (.ics)
          </button>
          {!moving ? (
            <button type="button" onClick={() => setMoving(true)}>
              Change the time
            </button>
          ) : (
            <form
              className="stack card"
              onSubmit={async (e) => {
                e.preventDefault();
                if (!target) {
                  setError('Choose a new time first.');
                  return;
                }
                const moved = await run(() =>
                  sendJson('POST', `${path}/reschedule`, {
                    body: { slotId: target },
                    token,
                    idempotencyKey: `${keys.move}-${target}`,
                    schema: bookingViewSchema,
                    ...(ticket ? { headers: { [WAITING_ROOM_TICKET_HEADER]: ticket } } : {}),
                  }),
                );
                if (moved) {
                  setMoving(false);
                  setTarget(undefined);
                  setKeys((k) => ({ ...k, move: newActionKey('move') }));
                }
              }}
            >
              <label htmlFor="new-slot">New time</label>
              <select
                id="new-slot"
                value={target ?? ''}
                onChange={(e) => setTarget(e.target.value || undefined)}
              >
                <option value="">Choose a time</option>
                {others.map((s) => (
                  <option key={s.id} value={s.id} disabled={s.state !== 'open'}>
                    {storeDay(s.startsAt, byId.get(s.storeId)?.timeZone ?? zone)},{' '}
                    {storeTime(s.startsAt, byId.get(s.storeId)?.timeZone ?? zone)} at{' '}
                    {byId.get(s.storeId)?.name ?? s.storeId} —{' '}
                    {s.state === 'open' ? `${s.remaining} left` : SLOT_STATE_TEXT[s.state]}
                  </option>
                ))}
              </select>
              <p className="muted">Your current time is kept until the new one is yours.</p>
              <div className="row">
                <button type="submit" disabled={busy}>
                  {busy ? 'Moving…' : 'Move my booking'}
                </button>
                <button type="button" onClick={() => setMoving(false)}>
                  Keep the current time
                </button>
              </div>
            </form>
          )}
          <ConfirmButton
            label="Cancel booking"
            question="Cancel this booking? Its spot goes to someone else."
            yes="Yes, cancel it"
            no="No, keep it"
            busy={busy}
            onConfirm={() =>
              void run(() =>
                sendJson('DELETE', path, { token, idempotencyKey: keys.cancel, schema: bookingViewSchema }),
              )
            }
          />
        </div>
      )}
      {booking.status === 'cancelled' && <p className="alert">This booking was cancelled.</p>}
      <Link href="/">Back to the home page</Link>
    </main>
  );
}
