import { useState } from 'react';
import { BOOKING_UNDO_WINDOW_MS, canTakeBookingStep } from '../../shared/booking-steps.ts';
import { CHECKINS_MAP, type CheckinMark } from '../../shared/store-doc.ts';
import type { StaffBooking, Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { todaysBookings } from './store-day.ts';
import { storeDate, storeTime } from './store-time.ts';
import { useNow } from './use-now.ts';

/**
 * Today's appointments by slot, where "today" and every time are the store's, labelled
 * (issue 8.7, 15 §9), each with its event and the customer's phone. Check-in is one tap and
 * can be undone for a while; a no-show is offered only once the slot has started, asks
 * first, and can be undone too (issue 15 §2, shared/booking-steps.ts). All of it works
 * offline: the mark is in the document at once.
 */
export function AppointmentsView({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  void snapshot.docVersion;
  const now = useNow(15_000);
  const doc = tablet.document;
  const timeZone = snapshot.store?.timeZone;
  const marks = doc?.getMap<CheckinMark>(CHECKINS_MAP);
  const today = todaysBookings(tablet.bookings(), timeZone, now);
  const heading = (
    <h2>
      Appointments today, {storeDate(now, timeZone)}{' '}
      <span className="muted">(times are the store’s, {zoneName(now, timeZone)})</span>
    </h2>
  );
  if (!timeZone && today.length === 0)
    return (
      <section className="stack">
        {heading}
        <p className="muted">Connect once to learn the store’s time zone; no appointments known for today.</p>
      </section>
    );
  if (today.length === 0)
    return (
      <section className="stack">
        {heading}
        <p className="muted">No appointments today.</p>
      </section>
    );

  const bySlot = new Map<number, StaffBooking[]>();
  for (const b of today) bySlot.set(b.startsAt, [...(bySlot.get(b.startsAt) ?? []), b]);
  return (
    <section className="stack">
      {heading}
      {[...bySlot].map(([startsAt, list]) => (
        <div key={startsAt}>
          <h3>
            {storeTime(startsAt, timeZone)} <span className="muted">({list.length})</span>
          </h3>
          <ul className="list">
            {list.map((b) => (
              <AppointmentRow
                key={b.id}
                tablet={tablet}
                booking={b}
                mark={marks?.get(b.id)}
                now={now}
                timeZone={timeZone}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function zoneName(at: number, timeZone: string | undefined): string {
  return storeTime(at, timeZone).split(' ').at(-1) ?? '';
}

function AppointmentRow({
  tablet,
  booking: b,
  mark,
  now,
  timeZone,
}: {
  tablet: Tablet;
  booking: StaffBooking;
  mark: CheckinMark | undefined;
  now: number;
  timeZone: string | undefined;
}) {
  const [askingNoShow, setAskingNoShow] = useState(false);
  const at = (ms: number) => storeTime(ms, timeZone);
  // A tablet's mark (made here or on another tablet, offline too) is newer than the server's word.
  const status = mark?.status ?? b.status;
  const statusAt = mark
    ? mark.at
    : status === 'checked_in'
      ? b.checkedInAt
      : status === 'no_show'
        ? b.noShowAt
        : undefined;
  const facts = { status, acknowledged: true, startsAt: b.startsAt, statusAt };
  const canNoShow = canTakeBookingStep(facts, 'no_show', now);
  const canUndo = canTakeBookingStep(facts, 'undo', now);
  const name = b.customer.name;
  const statusText =
    status === 'checked_in'
      ? `Checked in${statusAt ? ` ${at(statusAt)}` : ''}`
      : status === 'no_show'
        ? `No-show${statusAt ? ` (marked ${at(statusAt)})` : ''}`
        : 'Expected';

  return (
    <li className="card stack" data-testid="appointment">
      <div className="row">
        <strong>{name}</strong>
        <span className="muted" data-testid="appointment-status">
          {statusText}
        </span>
      </div>
      <div className="appointment-facts muted">
        <span>{b.eventName ?? b.eventId}</span>
        <span>{at(b.startsAt)}</span>
        {b.customer.phone && <a href={`tel:${b.customer.phone}`}>{b.customer.phone}</a>}
        {b.customer.email && <span>{b.customer.email}</span>}
      </div>
      {askingNoShow ? (
        <fieldset className="row confirm">
          <legend>Mark {name} as a no-show?</legend>
          <p>
            Their booking page will say they missed it. You can undo it for {BOOKING_UNDO_WINDOW_MS / 60_000}{' '}
            minutes.
          </p>
          <button
            type="button"
            onClick={() => {
              setAskingNoShow(false);
              void tablet.markBooking(b.id, 'no_show', `No-show: ${name}`);
            }}
          >
            Yes, mark no-show
          </button>
          <button type="button" className="secondary" onClick={() => setAskingNoShow(false)}>
            Keep as expected
          </button>
        </fieldset>
      ) : (
        <div className="row">
          {status === 'booked' && (
            <button
              type="button"
              onClick={() => void tablet.markBooking(b.id, 'checked_in', `Check in ${name}`)}
            >
              Check in
            </button>
          )}
          {status === 'no_show' && (
            <button
              type="button"
              className="secondary"
              onClick={() => void tablet.markBooking(b.id, 'checked_in', `Check in ${name} (arrived late)`)}
            >
              Check in (arrived late)
            </button>
          )}
          {canNoShow && (
            <button type="button" className="secondary" onClick={() => setAskingNoShow(true)}>
              No-show
            </button>
          )}
          {status === 'booked' && !canNoShow && now < b.startsAt && (
            <span className="muted">No-show can be marked from {at(b.startsAt)}.</span>
          )}
          {canUndo && statusAt !== undefined && (
            <>
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void tablet.markBooking(
                    b.id,
                    'booked',
                    `Undo ${status === 'checked_in' ? 'check-in' : 'no-show'}: ${name}`,
                  )
                }
              >
                Undo {status === 'checked_in' ? 'check-in' : 'no-show'}
              </button>
              <span className="muted">until {at(statusAt + BOOKING_UNDO_WINDOW_MS)}</span>
            </>
          )}
        </div>
      )}
    </li>
  );
}
