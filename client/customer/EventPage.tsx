import { useState } from 'react';
import { createBookingSchema, createdBookingSchema, eventListSchema } from '../../shared/api/bookings.ts';
import { waitingRoomPublicSchema } from '../../shared/api/waiting-room.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { CustomerError, getJson, sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody, emptyContact } from './ContactFields.tsx';
import { useLoad, useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { LinkRequestForm } from './LinkRequest.tsx';
import { navigate, useQueryParam, useTitle } from './router.ts';
import { firstDay, SlotPicker, slotsByDay } from './SlotPicker.tsx';
import { SLOT_STATE_TEXT, useLiveSlots } from './slots.ts';
import { countdown, storeTime } from './time.ts';
import { useKeyedForm } from './use-keyed-form.ts';
import { readSavedPlace, useLivePlace } from './waiting-room-place.ts';

/** Book an appointment: choose a day, see every store's slots live, choose one, book it. */
export function EventPage({ eventId }: { eventId: string }) {
  const { byId } = useStores();
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  const event = events.value?.events.find((e) => e.id === eventId);
  const unknown = events.value !== undefined && event === undefined;
  useTitle(event ? `Book: ${event.name}` : 'Book an appointment');
  const { slots, error } = useLiveSlots(eventId);
  const now = useNow();
  const wantedDay = useQueryParam('day');
  const [day, setDay] = useState<string>();
  const [chosen, setChosen] = useState<string>();
  // A customer the waiting line let in books with its ticket, as the contact it was given for.
  const room = useLoad(
    () => getJson(`/api/events/${encodeURIComponent(eventId)}/waiting-room`, waitingRoomPublicSchema),
    [eventId],
  );
  const [ticket] = useState(() => readSavedPlace(eventId));
  const { place } = useLivePlace(eventId, room.value?.enabled ? ticket?.token : undefined);
  const [contact, setContact] = useState<Contact>(ticket?.contact ?? emptyContact);
  const [alreadyBooked, setAlreadyBooked] = useState(false);
  const form = useKeyedForm('book', createBookingSchema);
  const { errors, failure, busy } = form;

  const days = slotsByDay(slots ?? [], byId);
  const shownDay = firstDay(days, day ?? wantedDay);
  const daySlots = days.find(([d]) => d === shownDay)?.[1] ?? [];
  const chosenSlot = slots?.find((s) => s.id === chosen);
  const zoneOf = (storeId: string) => byId.get(storeId)?.timeZone ?? 'UTC';
  const zone = zoneOf(daySlots[0]?.storeId ?? '');
  // The days the line guards are those opening at its opening or later (issue 16 §1): say so per day.
  const roomOpensAt = room.value?.enabled ? room.value.opensAt : undefined;
  const dayNeedsTurn = roomOpensAt !== undefined && daySlots.some((s) => s.opensAt >= roomOpensAt);
  const hasTurn = place?.state === 'your_turn';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!chosen) {
      form.setFailure('Choose a time slot first.');
      return;
    }
    setAlreadyBooked(false);
    void form.submit({ slotId: chosen, customer: contactBody(contact) }, async (body, idempotencyKey) => {
      try {
        const booking = await sendJson('POST', '/api/bookings', {
          body,
          idempotencyKey,
          schema: createdBookingSchema,
          ...(ticket ? { headers: { [WAITING_ROOM_TICKET_HEADER]: ticket.token } } : {}),
        });
        navigate(customerPaths.booking(booking.id, booking.manageToken));
      } catch (error) {
        if (error instanceof CustomerError && error.code === 'BOOKING_LIMIT_REACHED') setAlreadyBooked(true);
        throw error;
      }
    });
  };

  if (unknown) {
    return (
      <main className="page narrow stack">
        <h1>Event not found</h1>
        <p role="alert" className="error">
          There is no event at this address. It may have ended, or the link may be incomplete.
        </p>
        <Link href={customerPaths.home()}>See the events open for booking</Link>
      </main>
    );
  }

  return (
    <main className="page stack event-page">
      <h1>{event?.name ?? 'Book an appointment'}</h1>
      <p className="muted">New spots for the next day are available at 12:00 a.m. daily, store time.</p>
      {(error || events.error) && (
        <p role="alert" className="error">
          {error ?? events.error}
        </p>
      )}
      {place && room.value?.enabled && (
        <TurnBanner
          eventId={eventId}
          state={place.state}
          position={place.position}
          until={place.ticketExpiresAt}
          now={now}
          zone={zone}
        />
      )}
      {dayNeedsTurn && !hasTurn && (
        <p className="alert">
          Booking this day needs your turn in the waiting line.{' '}
          <Link href={customerPaths.waitingRoom(eventId)}>
            {ticket ? 'See your place in the waiting line' : 'Join the waiting line'}
          </Link>
        </p>
      )}
      {!slots && !error && !events.error && <p aria-live="polite">Loading the time slots…</p>}
      {slots && days.length === 0 && <p>There are no time slots in the coming week.</p>}
      <form className="stack" onSubmit={submit} noValidate>
        {slots && (
          <SlotPicker
            slots={slots}
            byId={byId}
            day={shownDay}
            onDay={setDay}
            chosen={chosen}
            onChoose={setChosen}
            now={now}
          />
        )}
        {chosenSlot && (
          <p aria-live="polite">
            Chosen: <strong>{storeTime(chosenSlot.startsAt, zoneOf(chosenSlot.storeId))}</strong> at{' '}
            {byId.get(chosenSlot.storeId)?.name}
            {chosenSlot.state !== 'open' && (
              <span className="error">
                {' '}
                — this slot is now {SLOT_STATE_TEXT[chosenSlot.state].toLowerCase()}
              </span>
            )}
          </p>
        )}
        {daySlots.length > 0 && <ContactFields value={contact} onChange={setContact} errors={errors} />}
        {failure && (
          <p role="alert" className="error">
            {failure}
          </p>
        )}
        {daySlots.length > 0 && !alreadyBooked && (
          <button type="submit" disabled={busy}>
            {busy ? 'Booking…' : 'Book this time'}
          </button>
        )}
      </form>
      {alreadyBooked && (
        <section className="card stack" aria-labelledby="find-booking">
          <h2 id="find-booking">Find your booking</h2>
          <LinkRequestForm eventId={eventId} initial={contact} />
        </section>
      )}
    </main>
  );
}

/** The customer's place in the waiting line, on the event page too (issue 16 §4). */
function TurnBanner({
  eventId,
  state,
  position,
  until,
  now,
  zone,
}: {
  eventId: string;
  state: string;
  position?: number | undefined;
  until?: number | undefined;
  now: number;
  zone: string;
}) {
  if (state === 'your_turn' && until !== undefined) {
    return (
      <p className="ok turn">
        <strong>Your turn:</strong> book by {storeTime(until, zone)} (
        <span aria-live="off">{countdown(until, now)}</span> left).
      </p>
    );
  }
  if (state === 'waiting' || state === 'before_opening') {
    return (
      <p className="muted">
        You are in the waiting line{position !== undefined ? `: place ${position}` : ''}.{' '}
        <Link href={customerPaths.waitingRoom(eventId)}>See your place</Link>
      </p>
    );
  }
  return null;
}
