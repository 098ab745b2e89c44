import { useEffect, useRef, useState } from 'react';
import {
  bookingViewSchema,
  type CustomerBooking,
  customerBookingSchema,
  eventListSchema,
} from '../../shared/api/bookings.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { calendarFile } from '../../shared/ics.ts';
import { dateInZone } from '../../shared/time.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { CustomerError, followLive, getJson, newActionKey, sendJson } from './api.ts';
import { useLoad, useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { KeepLink, ManagedGate, StoreReceipt } from './Managed.tsx';
import { useFragmentToken, useTitle } from './router.ts';
import { SlotPicker } from './SlotPicker.tsx';
import { ConfirmButton } from './Steps.tsx';
import { useLiveSlots } from './slots.ts';
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
  const [moveDay, setMoveDay] = useState<string>();
  const [moved, setMoved] = useState<{ from: number; fromStoreId: string }>();
  const now = useNow();
  // After a move or a cancel, focus goes to what it says (issue 16 §9), not to the page's body.
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const [announce, setAnnounce] = useState(0);
  useEffect(() => {
    if (announce > 0) outcomeRef.current?.focus();
  }, [announce]);
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
    return (
      <ManagedGate
        title="Your appointment"
        what="appointment"
        token={token}
        error={error}
        eventId={eventId}
      />
    );
  }
  const store = byId.get(booking.storeId);
  const zone = store?.timeZone ?? 'UTC';
  const event = events.value?.events.find((e) => e.id === booking.eventId);
  const ack = booking.storeAcknowledgement;
  /** "2:00 PM HST" or "Tuesday, December 8 at 2:00 PM HST at BetterBuy - Aiea", as much as differs. */
  const movedText = (at: number, storeId: string) => {
    const z = byId.get(storeId)?.timeZone ?? zone;
    const sameDay = moved && dateInZone(moved.from, z) === dateInZone(booking.startsAt, z);
    const sameStore = moved && moved.fromStoreId === booking.storeId;
    const time = sameDay ? storeTime(at, z) : `${storeDay(at, z)} at ${storeTime(at, z)}`;
    return sameStore ? time : `${time} at ${byId.get(storeId)?.name ?? storeId}`;
  };

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

  const downloadCalendar = (at: CustomerBooking = booking) => {
    const bookedSlot = slots?.find((s) => s.id === at.slotId);
    const bookedStore = byId.get(at.storeId);
    const ics = calendarFile({
      uid: `${at.id}@holdfast`,
      title: `${event?.name ?? 'Appointment'} at ${bookedStore?.name ?? at.storeId}`,
      startsAt: at.startsAt,
      endsAt: bookedSlot?.endsAt ?? at.startsAt + 30 * 60_000,
      location: bookedStore ? `${bookedStore.name}, ${bookedStore.address}` : at.storeId,
      description: `Manage your booking: ${window.location.href}`,
      now: Date.now(),
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([ics], { type: 'text/calendar' }));
    link.download = 'appointment.ics';
    link.click();
    URL.revokeObjectURL(link.href);
  };

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
      {moved && (
        <div className="ok stack">
          <p ref={outcomeRef} tabIndex={-1}>
            Moved from {movedText(moved.from, moved.fromStoreId)} to{' '}
            {movedText(booking.startsAt, booking.storeId)}.
          </p>
          <p>
            If you added it to your calendar, replace it:{' '}
            <button type="button" className="link" onClick={() => downloadCalendar()}>
              Download the new time (.ics)
            </button>
          </p>
        </div>
      )}
      <StoreReceipt
        ack={ack}
        active={booking.status === 'booked'}
        confirmed
        startsAt={booking.startsAt}
        now={now}
        store={store}
        zone={zone}
        what="booking"
      />
      {booking.status === 'booked' && <KeepLink what="appointment" />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {booking.status === 'booked' && (
        <div className="stack">
          <button type="button" onClick={() => downloadCalendar()}>
            Add to calendar (.ics)
          </button>
          {!moving ? (
            <button type="button" onClick={() => setMoving(true)}>
              Change the time
            </button>
          ) : (
            <form
              className="stack card"
              aria-labelledby="move-heading"
              onSubmit={async (e) => {
                e.preventDefault();
                if (!target) {
                  setError('Choose a new time first.');
                  return;
                }
                const before = { from: booking.startsAt, fromStoreId: booking.storeId };
                const ok = await run(() =>
                  sendJson('POST', `${path}/reschedule`, {
                    body: { slotId: target },
                    token,
                    idempotencyKey: `${keys.move}-${target}`,
                    schema: bookingViewSchema,
                    ...(ticket ? { headers: { [WAITING_ROOM_TICKET_HEADER]: ticket } } : {}),
                  }),
                );
                if (ok) {
                  setMoved(before);
                  setMoving(false);
                  setTarget(undefined);
                  setKeys((k) => ({ ...k, move: newActionKey('move') }));
                  setAnnounce((n) => n + 1);
                }
              }}
            >
              <h2 id="move-heading">Choose a new time</h2>
              <SlotPicker
                slots={(slots ?? []).filter((s) => s.startsAt > now)}
                byId={byId}
                day={moveDay ?? dateInZone(booking.startsAt, zone)}
                onDay={setMoveDay}
                chosen={target}
                onChoose={setTarget}
                now={now}
                current={booking.slotId}
              />
              <p className="muted">Your current time is kept until the new one is yours.</p>
              <div className="row wrap">
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
            onConfirm={async () => {
              const ok = await run(() =>
                sendJson('DELETE', path, { token, idempotencyKey: keys.cancel, schema: bookingViewSchema }),
              );
              if (ok) {
                setMoved(undefined);
                setAnnounce((n) => n + 1);
              }
            }}
          />
        </div>
      )}
      {booking.status === 'cancelled' && (
        <p className="alert" ref={outcomeRef} tabIndex={-1}>
          This booking was cancelled.{' '}
          <Link href={customerPaths.event(booking.eventId)}>Book another time</Link>
        </p>
      )}
      <Link href="/">Back to the home page</Link>
    </main>
  );
}
