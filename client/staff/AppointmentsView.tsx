import type { BookingView } from '../../shared/api/bookings.ts';
import { CHECKINS_MAP, type CheckinMark } from '../../shared/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { clockTime } from '../ui/format.ts';
import { todaysBookings } from './store-day.ts';

/**
 * Today's appointments by slot, where "today" and every time are the store's (issue 8.7), not
 * the tablet's; check-in and no-show work offline (the mark is in the document at once).
 */
export function AppointmentsView({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  void snapshot.docVersion;
  const doc = tablet.document;
  const timeZone = snapshot.store?.timeZone;
  const marks = doc?.getMap<CheckinMark>(CHECKINS_MAP);
  const today = todaysBookings(tablet.bookings(), timeZone, Date.now());
  if (!timeZone && today.length === 0)
    return (
      <p className="muted">Connect once to learn the store’s time zone; no appointments known for today.</p>
    );
  if (today.length === 0) return <p className="muted">No appointments today.</p>;

  const bySlot = new Map<number, BookingView[]>();
  for (const b of today) bySlot.set(b.startsAt, [...(bySlot.get(b.startsAt) ?? []), b]);
  return (
    <section className="stack">
      {[...bySlot].map(([startsAt, list]) => (
        <div key={startsAt}>
          <h3>
            {clockTime(startsAt, timeZone)} <span className="muted">({list.length})</span>
          </h3>
          <ul className="list">
            {list.map((b) => {
              const mark = marks?.get(b.id);
              const status = mark?.status ?? b.status;
              return (
                <li key={b.id} className="card row" data-testid="appointment">
                  <span>{b.customer.name}</span>
                  <span className="muted">
                    {status === 'checked_in' ? 'Checked in' : status === 'no_show' ? 'No-show' : 'Expected'}
                  </span>
                  {status === 'booked' && (
                    <>
                      <button
                        type="button"
                        onClick={() =>
                          void tablet.markBooking(b.id, 'checked_in', `Check in ${b.customer.name}`)
                        }
                      >
                        Check in
                      </button>
                      <button
                        type="button"
                        onClick={() =>
                          void tablet.markBooking(b.id, 'no_show', `No-show: ${b.customer.name}`)
                        }
                      >
                        No-show
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
}
