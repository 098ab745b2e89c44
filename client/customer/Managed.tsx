import { useState } from 'react';
import type { StoreAcknowledgement } from '../../shared/api/acknowledgement.ts';
import type { ListedStore } from '../../shared/api/stores.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { todayHoursLabel } from '../../shared/opening-hours.ts';
import { type CallAdvice, callAdvice, DEFAULT_STORE_HOURS } from './call-store.ts';
import { Link } from './Link.tsx';
import { LinkRequestForm } from './LinkRequest.tsx';
import { telHref } from './shop.ts';
import { storeTime } from './time.ts';

/**
 * What a hold's or booking's page shows before it has the record: the link lacks its manage
 * token, or the record is loading, or it could not be read. Each dead end says what to do.
 */
export function ManagedGate({
  title,
  what,
  token,
  error,
  eventId,
}: {
  title: string;
  what: 'reservation' | 'appointment';
  token: string;
  error: string;
  /** A booking's event: its customer may ask for the link again. */
  eventId?: string | undefined;
}) {
  if (token && !error) {
    return (
      <main className="page narrow" aria-busy="true">
        <h1>{title}</h1>
        <p>Loading…</p>
      </main>
    );
  }
  return (
    <main className="page narrow stack">
      <h1>{title}</h1>
      <p role="alert" className="error">
        {token ? error : `This link is missing its end (the part after “#”), which opens your ${what}.`}
      </p>
      <p>
        Open the link again exactly as you saved it: copied whole, or tapped from where you kept it. A link
        cut short, or typed by hand, does not open it.
      </p>
      {eventId ? (
        <section className="stack card" aria-labelledby="lost-link">
          <h2 id="lost-link">Lost the link?</h2>
          <LinkRequestForm eventId={eventId} />
        </section>
      ) : (
        <p>
          Lost the link? Call the store where you reserved: it can find your reservation by your name. Our
          stores’ numbers are on the <Link href={customerPaths.home()}>home page</Link>.
        </p>
      )}
    </main>
  );
}

/** Keep this page's address: the only way back to it (issue 16 §2), with a button that copies it. */
export function KeepLink({ what }: { what: 'reservation' | 'appointment' }) {
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('yes');
    } catch (error) {
      // No clipboard (an old browser, or permission refused): the customer bookmarks instead.
      if (error instanceof Error) setCopied('no');
      else throw error;
    }
  };
  return (
    <section className="card stack keep-link" aria-labelledby="keep-link">
      <h2 id="keep-link">Keep this page’s link</h2>
      <p>
        It is the only way back to your {what}: we do not send it by email or text yet. Copy it somewhere
        safe, or bookmark this page.
      </p>
      <div className="row wrap">
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        <output aria-live="polite">
          {copied === 'yes' && 'Link copied.'}
          {copied === 'no' && 'This browser would not copy it: bookmark this page instead.'}
        </output>
      </div>
    </section>
  );
}

/** "9 AM", "9 PM": an hour of the day as a person reads it. */
function hourText(hour: number): string {
  return `${hour % 12 || 12} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** Why the store has not seen it yet, when no call is needed (issue 16 §3). */
const NO_CALL_TEXT: Record<Exclude<CallAdvice, 'call'>, (what: string) => string> = {
  not_confirmed: () => '',
  not_soon: (what) =>
    `The store’s tablets have not picked up your ${what} yet. It is kept either way: there is nothing you need to do.`,
  store_closed: (what) =>
    `The store has not seen your ${what} yet, as it is probably closed now (usually open ${hourText(DEFAULT_STORE_HOURS.opensAtHour)} to ${hourText(DEFAULT_STORE_HOURS.closesAtHour)}, store time). It is kept: there is nothing you need to do.`,
};

/**
 * Whether the store itself received it (DESIGN "Store acknowledgement"), and what to do if
 * not: a call only when it matters (confirmed, soon, the store open), as one tappable number.
 */
export function StoreReceipt({
  ack,
  active,
  confirmed,
  startsAt,
  now,
  store,
  zone,
  what,
}: {
  ack: StoreAcknowledgement;
  /** Still waiting on the store (not cancelled, expired or done). */
  active: boolean;
  /** The customer has confirmed it (a hold past "held"; a booking always). */
  confirmed: boolean;
  /** A booking's start: a call is asked only when it is soon. */
  startsAt?: number | undefined;
  now: number;
  store: ListedStore | undefined;
  zone: string;
  what: string;
}) {
  if (!active || !confirmed) return null;
  if (ack.status === 'received') {
    return (
      <p className="ok" data-testid="store-received">
        Received by the store at {storeTime(ack.at, zone)}.
      </p>
    );
  }
  if (ack.status === 'waiting') return <p className="muted">Sent to the store.</p>;
  const advice = callAdvice({ confirmed, startsAt, now, timeZone: zone, hours: store?.hours });
  if (advice === 'store_closed' && store?.hours) {
    // The store's own hours are on record: say them, not the usual ones.
    return (
      <p className="muted">
        The store has not seen your {what} yet, as it is closed now ({todayHoursLabel(store.hours, now, zone)}
        ). It is kept: there is nothing you need to do.
      </p>
    );
  }
  if (advice !== 'call') return <p className="muted">{NO_CALL_TEXT[advice](what)}</p>;
  return (
    <div className="alert stacked stack" role="alert">
      <p>
        {ack.storeName} has not confirmed receiving your {what} yet. Please call the store so it can find it:
      </p>
      <p>
        <a className="button" href={telHref(ack.storePhone)}>
          Call {store?.name ?? ack.storeName}: {ack.storePhone}
        </a>
      </p>
    </div>
  );
}
