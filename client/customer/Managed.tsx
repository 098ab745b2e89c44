import type { StoreAcknowledgement } from '../../shared/api/acknowledgement.ts';
import { storeTime } from './time.ts';

/**
 * What a hold's or booking's page shows before it has the record: the link lacks its manage
 * token, or the record is loading, or it could not be read.
 */
export function ManagedGate({
  title,
  what,
  token,
  error,
}: {
  title: string;
  what: string;
  token: string;
  error: string;
}) {
  if (!token) {
    return (
      <main className="page narrow">
        <h1>{title}</h1>
        <p role="alert" className="error">
          This link is incomplete. Open the full link from your confirmation to see your {what}.
        </p>
      </main>
    );
  }
  return (
    <main className="page narrow" aria-busy={!error}>
      <h1>{title}</h1>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : (
        <p>Loading…</p>
      )}
    </main>
  );
}

/** Whether the store itself received it (DESIGN "Store acknowledgement"), and what to do if not. */
export function StoreReceipt({
  ack,
  active,
  zone,
  what,
}: {
  ack: StoreAcknowledgement;
  /** Still waiting on the store (not cancelled, expired or done). */
  active: boolean;
  zone: string;
  what: string;
}) {
  return (
    <div aria-live="polite">
      {ack.status === 'received' && (
        <p className="ok" data-testid="store-received">
          Received by the store at {storeTime(ack.at, zone)}.
        </p>
      )}
      {ack.status === 'waiting' && active && (
        <p className="muted">Sent to the store; waiting for it to confirm receipt.</p>
      )}
      {ack.status === 'overdue' && active && (
        <p className="alert" role="alert">
          {ack.storeName} has not confirmed receiving your {what} yet. Please call the store at{' '}
          <a href={`tel:${ack.storePhone.replace(/[^0-9+]/g, '')}`}>{ack.storePhone}</a>.
        </p>
      )}
    </div>
  );
}
