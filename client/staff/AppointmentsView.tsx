import type { BookingView } from '../../shared/api/bookings.ts';
import { CHECKINS_MAP, type CheckinMark } from '../../shared/store-doc.ts';
import { readScarcePlaneOf } from '../offline/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { clockTime } from '../ui/format.ts';

/** Today's appointments by slot; check-in and no-show work offline (the mark is in the document at once). */
export function AppointmentsView({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  void snapshot.docVersion;
  const doc = tablet.document;
  const bookings: BookingView[] = doc ? Object.values(readScarcePlaneOf(doc).bookings) : [];
  const marks = doc?.getMap<CheckinMark>(CHECKINS_MAP);
  const startOfDay = new Date().setHours(0, 0, 0, 0);
  const today = bookings
    .filter(
      (b) => b.startsAt >= startOfDay && b.startsAt < startOfDay + 86_400_000 && b.status !== 'cancelled',
    )
    .sort((a, b) => a.startsAt - b.startsAt || a.customer.name.localeCompare(b.customer.name));
  if (today.length === 0) return <p className="muted">No appointments today.</p>;

  const bySlot = new Map<number, BookingView[]>();
  for (const b of today) bySlot.set(b.startsAt, [...(bySlot.get(b.startsAt) ?? []), b]);
  return (
    <section className="stack">
      {[...bySlot].map(([startsAt, list]) => (
        <div key={startsAt}>
          <h3>
            {clockTime(startsAt)} <span className="muted">({list.length})</span>
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
