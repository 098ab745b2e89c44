import { useState } from 'react';
import { eventListSchema } from '../../shared/api/bookings.ts';
import {
  joinedWaitingRoomSchema,
  joinWaitingRoomSchema,
  type WaitingPlace,
  waitingPlaceSchema,
  waitingRoomPublicSchema,
} from '../../shared/api/waiting-room.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { dateInZone } from '../../shared/time.ts';
import { CustomerError, getJson, sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody, emptyContact } from './ContactFields.tsx';
import { useLoad, useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { useTitle } from './router.ts';
import { countdown, storeDay, storeTime, timeLeft } from './time.ts';
import { useKeyedForm } from './use-keyed-form.ts';
import {
  forgetPlace,
  readSavedPlace,
  type SavedPlace,
  savePlace,
  useLivePlace,
} from './waiting-room-place.ts';

/** "about 4 minutes": a wait as a person reads it. */
function waitText(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'about a minute';
  if (minutes < 90) return `about ${minutes} minutes`;
  return `about ${Math.round(minutes / 60)} hours`;
}

/**
 * The waiting line of an event's release (issue 10 §3): join before the opening, watch the
 * time to opening, then one's place and wait, live, until "Your turn: book now".
 */
export function WaitingRoomPage({ eventId }: { eventId: string }) {
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  const event = events.value?.events.find((e) => e.id === eventId);
  useTitle(event ? `Waiting line: ${event.name}` : 'Waiting line');
  const room = useLoad(
    () => getJson(`/api/events/${encodeURIComponent(eventId)}/waiting-room`, waitingRoomPublicSchema),
    [eventId],
  );
  const { stores } = useStores();
  const zone = stores?.[0]?.timeZone ?? 'UTC';
  const [saved, setSaved] = useState<SavedPlace | undefined>(() => readSavedPlace(eventId));
  const { place, missing } = useLivePlace(eventId, saved?.token);
  const [contact, setContact] = useState<Contact>(saved?.contact ?? emptyContact);
  const form = useKeyedForm('join', joinWaitingRoomSchema);
  const now = useNow();
  const [elsewhere, setElsewhere] = useState<WaitingPlace>();
  // "Book now" opens the event on the release's own day (issue 16 §4).
  const releaseDay =
    room.value?.releaseFirstStartsAt !== undefined
      ? dateInZone(room.value.releaseFirstStartsAt, zone)
      : undefined;

  const join = (e: React.FormEvent) => {
    e.preventDefault();
    setElsewhere(undefined);
    void form.submit({ customer: contactBody(contact) }, async (body, idempotencyKey) => {
      const joined = await sendJson(
        'POST',
        `/api/events/${encodeURIComponent(eventId)}/waiting-room/places`,
        {
          body,
          idempotencyKey,
          schema: joinedWaitingRoomSchema,
        },
      ).catch((error: unknown) => {
        // The same email or phone on another device: show its place here (issue 16 §5).
        const held =
          error instanceof CustomerError ? waitingPlaceSchema.safeParse(error.details.place) : undefined;
        if (held?.success) setElsewhere(held.data);
        throw error;
      });
      const next = { token: joined.token, contact };
      setElsewhere(undefined);
      savePlace(eventId, next);
      setSaved(next);
    });
  };
  const joinAgain = () => {
    forgetPlace(eventId);
    setSaved(undefined);
  };

  const showForm = !saved || missing;
  return (
    <main className="page narrow stack">
      <h1>{event ? `${event.name}: waiting line` : 'Waiting line'}</h1>
      {(room.error || events.error) && (
        <p role="alert" className="error">
          {room.error ?? events.error}
        </p>
      )}
      {room.value && !room.value.enabled && !saved && (
        <p>
          There is no waiting line for this event right now.{' '}
          <Link href={customerPaths.event(eventId)}>Book an appointment</Link>
        </p>
      )}
      {room.value?.enabled && showForm && (
        <>
          {room.value.opensAt !== undefined && room.value.opensAt > now && (
            <p>
              {room.value.releaseFirstStartsAt !== undefined
                ? `Spots for ${storeDay(room.value.releaseFirstStartsAt, zone)} open`
                : 'The line opens'}{' '}
              {storeDay(room.value.opensAt, zone)} at {storeTime(room.value.opensAt, zone)} (
              {timeLeft(room.value.opensAt, now)} from now). Everyone in line at the opening gets a random
              place, so there is no need to come early or to refresh.
            </p>
          )}
          {room.value.soldOut && <p className="alert">Every spot of this release is taken.</p>}
          {missing && (
            <p className="alert">Your earlier place in line is no longer there. Please join again.</p>
          )}
          <form className="stack" onSubmit={join} noValidate>
            <ContactFields value={contact} onChange={setContact} errors={form.errors} />
            <p className="muted">Book with the same email or phone: your turn is yours alone.</p>
            {form.failure && (
              <p role="alert" className="error">
                {form.failure}
              </p>
            )}
            <button type="submit" disabled={form.busy}>
              {form.busy ? 'Joining…' : 'Join the line'}
            </button>
          </form>
          {elsewhere && <ElsewherePlace place={elsewhere} zone={zone} />}
        </>
      )}
      {saved && !missing && !place && <p aria-live="polite">Finding your place in line…</p>}
      {saved && !missing && place && (
        <PlaceStatus
          place={place}
          now={now}
          zone={zone}
          eventId={eventId}
          releaseDay={releaseDay}
          onJoinAgain={joinAgain}
        />
      )}
    </main>
  );
}

function PlaceStatus({
  place,
  now,
  zone,
  eventId,
  releaseDay,
  onJoinAgain,
}: {
  place: WaitingPlace;
  now: number;
  zone: string;
  eventId: string;
  releaseDay: string | undefined;
  onJoinAgain: () => void;
}) {
  switch (place.state) {
    case 'before_opening':
      return (
        <section className="stack" aria-live="polite">
          <h2>You are in line</h2>
          <p>
            The line opens {storeDay(place.opensAt, zone)} at {storeTime(place.opensAt, zone)}:{' '}
            <strong>{timeLeft(place.opensAt, now)}</strong> from now. Then everyone in line gets a random
            place. Keep this page open; it updates by itself.
          </p>
        </section>
      );
    case 'waiting':
      return (
        <section className="stack" aria-live="polite">
          <h2>Your place in line: {place.position ?? '…'}</h2>
          {place.estimatedWaitMs !== undefined && <p>Estimated wait: {waitText(place.estimatedWaitMs)}.</p>}
          <p className="muted">
            {place.waiting} {place.waiting === 1 ? 'person' : 'people'} in line. Keep this page open; it
            updates by itself.
          </p>
        </section>
      );
    case 'your_turn':
      return (
        <section className="stack" aria-live="assertive">
          <h2>Your turn: book now</h2>
          {place.ticketExpiresAt !== undefined && (
            <p>
              Your turn lasts until {storeTime(place.ticketExpiresAt, zone)} (
              {countdown(place.ticketExpiresAt, now)} left).
            </p>
          )}
          <p>
            <Link className="button" href={customerPaths.event(eventId, releaseDay)}>
              Book now
            </Link>
          </p>
        </section>
      );
    case 'used':
      return (
        <section className="stack">
          <h2>You have booked</h2>
          <p>
            Your booking's confirmation has its own page.{' '}
            <Link href={customerPaths.event(eventId)}>Back to the event</Link>
          </p>
        </section>
      );
    case 'expired':
      return (
        <section className="stack" aria-live="polite">
          <h2>Your turn ran out</h2>
          <p>
            You did not book in time, so your place went to the next person. You can join the line again, at
            the back.
          </p>
          <button type="button" onClick={onJoinAgain}>
            Join the line again
          </button>
        </section>
      );
    case 'sold_out':
      return (
        <section className="stack" aria-live="assertive">
          <h2>Every spot is taken</h2>
          <p>
            Sorry: all the spots of this release are booked, so nobody still in line can book. Thank you for
            waiting.
          </p>
        </section>
      );
  }
}

/** The place the same email or phone holds from another device: seen here, booked there. */
function ElsewherePlace({ place, zone }: { place: WaitingPlace; zone: string }) {
  const where =
    place.state === 'waiting' && place.position !== undefined
      ? `place ${place.position} in line`
      : place.state === 'before_opening'
        ? `a place in line; places are drawn at ${storeTime(place.opensAt, zone)}`
        : place.state === 'your_turn'
          ? 'its turn to book now'
          : 'a place in line';
  return (
    <section className="card stack" aria-labelledby="elsewhere">
      <h2 id="elsewhere">Your place, from another device</h2>
      <p>
        This email or phone has {where}. Book on the device where you joined: its page has your turn. Your
        place stays yours; joining again here would not move it.
      </p>
    </section>
  );
}
