import { useMemo, useState } from 'react';
import {
  createBookingSchema,
  createdBookingSchema,
  eventListSchema,
  type ListedSlot,
} from '../../shared/api/bookings.ts';
import type { Store } from '../../shared/api/stores.ts';
import { waitingRoomPublicSchema } from '../../shared/api/waiting-room.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { dateInZone } from '../../shared/time.ts';
import { WAITING_ROOM_TICKET_HEADER } from '../../shared/waiting-room.ts';
import { getJson, sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody, emptyContact } from './ContactFields.tsx';
import { useGeolocation, useLoad, useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { navigate, useTitle } from './router.ts';
import { SLOT_STATE_TEXT, useLiveSlots } from './slots.ts';
import { countdown, distanceKm, shortDay, storeTime } from './time.ts';
import { useKeyedForm } from './use-keyed-form.ts';
import { readSavedPlace } from './waiting-room-place.ts';

type Sort = 'next' | 'distance';

/** Slots grouped by store-local day, then by store. */
function byDay(slots: ListedSlot[], stores: Map<string, Store>) {
  const days = new Map<string, ListedSlot[]>();
  for (const slot of slots) {
    const zone = stores.get(slot.storeId)?.timeZone ?? 'UTC';
    const day = dateInZone(slot.startsAt, zone);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Book an appointment: choose a day, see every store's slots live, choose one, book it. */
export function EventPage({ eventId }: { eventId: string }) {
  const { byId } = useStores();
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  const event = events.value?.events.find((e) => e.id === eventId);
  useTitle(event ? `Book: ${event.name}` : 'Book an appointment');
  const { slots, error } = useLiveSlots(eventId);
  const now = useNow();
  const days = useMemo(() => byDay(slots ?? [], byId), [slots, byId]);
  const [day, setDay] = useState<string>();
  const [sort, setSort] = useState<Sort>('next');
  const geo = useGeolocation();
  const [chosen, setChosen] = useState<string>();
  // A customer the waiting line let in books with its ticket, as the contact it was given for.
  const room = useLoad(
    () => getJson(`/api/events/${encodeURIComponent(eventId)}/waiting-room`, waitingRoomPublicSchema),
    [eventId],
  );
  const [ticket] = useState(() => readSavedPlace(eventId));
  const [contact, setContact] = useState<Contact>(ticket?.contact ?? emptyContact);
  const form = useKeyedForm('book', createBookingSchema);
  const { errors, failure, busy } = form;

  const shownDay = day ?? days.find(([, list]) => list.some((s) => s.state === 'open'))?.[0] ?? days[0]?.[0];
  const daySlots = days.find(([d]) => d === shownDay)?.[1] ?? [];
  const storeIds = [...new Set(daySlots.map((s) => s.storeId))];
  const nextOpen = (storeId: string) =>
    daySlots.find((s) => s.storeId === storeId && s.state === 'open')?.startsAt ?? Number.POSITIVE_INFINITY;
  storeIds.sort((a, b) => {
    const sa = byId.get(a);
    const sb = byId.get(b);
    if (sort === 'distance' && geo.place && sa && sb)
      return distanceKm(geo.place, sa) - distanceKm(geo.place, sb);
    return nextOpen(a) - nextOpen(b);
  });
  const chosenSlot = slots?.find((s) => s.id === chosen);
  const opensAt = daySlots.every((s) => s.state === 'not_open')
    ? Math.min(...daySlots.map((s) => s.opensAt))
    : undefined;
  const zoneOf = (storeId: string) => byId.get(storeId)?.timeZone ?? 'UTC';

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!chosen) {
      form.setFailure('Choose a time slot first.');
      return;
    }
    void form.submit({ slotId: chosen, customer: contactBody(contact) }, async (body, idempotencyKey) => {
      const booking = await sendJson('POST', '/api/bookings', {
        body,
        idempotencyKey,
        schema: createdBookingSchema,
        ...(ticket ? { headers: { [WAITING_ROOM_TICKET_HEADER]: ticket.token } } : {}),
      });
      navigate(customerPaths.booking(booking.id, booking.manageToken));
    });
  };

  return (
    <main className="page stack event-page">
      <h1>{event?.name ?? 'Book an appointment'}</h1>
      <p className="muted">New spots for the next day are available at 12:00 a.m. daily, store time.</p>
      {(error || events.error) && (
        <p role="alert" className="error">
          {error ?? events.error}
        </p>
      )}
      {room.value?.enabled && !ticket && (
        <p className="alert">
          This release has a waiting line: booking needs your turn in it.{' '}
          <Link href={customerPaths.waitingRoom(eventId)}>Join the waiting line</Link>
        </p>
      )}
      {!slots && !error && <p aria-live="polite">Loading the time slots…</p>}
      {slots && days.length === 0 && <p>There are no time slots in the coming week.</p>}
      {days.length > 0 && (
        <fieldset className="stack">
          <legend>
            <h2>Day</h2>
          </legend>
          <div className="row wrap days">
            {days.map(([d, list]) => (
              <button
                key={d}
                type="button"
                aria-pressed={d === shownDay}
                onClick={() => {
                  setDay(d);
                  setChosen(undefined);
                }}
              >
                {shortDay(list[0]?.startsAt ?? 0, zoneOf(list[0]?.storeId ?? ''))}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      {opensAt !== undefined && daySlots[0] && (
        <p className="alert" aria-live="polite">
          This day opens at {storeTime(opensAt, zoneOf(daySlots[0].storeId))} ({countdown(opensAt, now)} from
          now).
        </p>
      )}
      {daySlots.length > 0 && (
        <fieldset className="row">
          <legend>Sort stores</legend>
          <label className="choice">
            <input type="radio" name="sort" checked={sort === 'next'} onChange={() => setSort('next')} /> Next
            availability
          </label>
          <label className="choice">
            <input
              type="radio"
              name="sort"
              checked={sort === 'distance'}
              onChange={() => {
                setSort('distance');
                if (!geo.place) geo.ask();
              }}
            />{' '}
            Closest location
          </label>
          {sort === 'distance' && geo.status === 'denied' && (
            <span className="muted">
              Your location is not available; stores stay in order of next availability.
            </span>
          )}
        </fieldset>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        {storeIds.map((storeId) => {
          const store = byId.get(storeId);
          return (
            <fieldset key={storeId} className="store-slots">
              <legend>
                {store?.name ?? storeId}
                <span className="muted"> · {store?.address}</span>
              </legend>
              <div className="slot-grid">
                {daySlots
                  .filter((s) => s.storeId === storeId)
                  .map((s) => {
                    const disabled = s.state !== 'open';
                    const label = `${storeTime(s.startsAt, zoneOf(storeId))}, ${
                      s.state === 'open' ? `${s.remaining} left` : SLOT_STATE_TEXT[s.state]
                    }`;
                    return (
                      <label key={s.id} className={`slot ${s.state}`} data-testid="slot">
                        <input
                          type="radio"
                          name="slot"
                          value={s.id}
                          disabled={disabled}
                          checked={chosen === s.id}
                          onChange={() => setChosen(s.id)}
                        />
                        <span>{label}</span>
                      </label>
                    );
                  })}
              </div>
            </fieldset>
          );
        })}
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
        {daySlots.length > 0 && (
          <button type="submit" disabled={busy}>
            {busy ? 'Booking…' : 'Book this time'}
          </button>
        )}
      </form>
    </main>
  );
}
