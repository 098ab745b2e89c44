import { useEffect, useState } from 'react';
import { type CustomerHold, customerHoldSchema, holdViewSchema } from '../../shared/api/holds.ts';
import { CustomerError, followLive, getJson, newActionKey, sendJson } from './api.ts';
import { useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { ManagedGate, StoreReceipt } from './Managed.tsx';
import { useFragmentToken, useTitle } from './router.ts';
import { ConfirmButton, Steps } from './Steps.tsx';
import { countdown, storeTime } from './time.ts';

const STATUS_TEXT: Record<CustomerHold['status'], string> = {
  held: 'Reserved: please confirm',
  confirmed: 'Confirmed',
  picked: 'Ready for pickup',
  fulfilled: 'Collected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

/** One pickup hold, live: the countdown to confirm, each step as it happens, cancel. */
export function HoldPage({ holdId }: { holdId: string }) {
  const token = useFragmentToken();
  const { byId } = useStores();
  const [hold, setHold] = useState<CustomerHold>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ confirm: newActionKey('confirm'), cancel: newActionKey('cancel') }));
  const now = useNow();
  useTitle('Your reservation');

  useEffect(() => {
    if (!token) return;
    getJson(`/api/holds/${encodeURIComponent(holdId)}`, customerHoldSchema, token).then(setHold, (e: Error) =>
      setError(e.message),
    );
    return followLive(
      `/api/live/holds/${encodeURIComponent(holdId)}`,
      (event, data) => {
        if (event !== 'hold') return;
        const parsed = customerHoldSchema.safeParse(JSON.parse(data));
        if (parsed.success) setHold(parsed.data);
      },
      { token },
    );
  }, [holdId, token]);

  const act = async (method: 'POST' | 'DELETE', path: string, key: string) => {
    setBusy(true);
    setError('');
    try {
      await sendJson(method, path, { token, idempotencyKey: key, schema: holdViewSchema });
      setHold(await getJson(`/api/holds/${encodeURIComponent(holdId)}`, customerHoldSchema, token));
    } catch (e) {
      setError(e instanceof CustomerError ? e.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  if (!token || !hold) {
    return <ManagedGate title="Your reservation" what="reservation" token={token} error={error} />;
  }
  const store = byId.get(hold.storeId);
  const zone = store?.timeZone ?? 'UTC';
  const ack = hold.storeAcknowledgement;
  const open = hold.status === 'held' || hold.status === 'confirmed' || hold.status === 'picked';
  return (
    <main className="page narrow stack">
      <h1>Your reservation</h1>
      <p className="status-line" aria-live="polite">
        <strong>{STATUS_TEXT[hold.status]}</strong> · {hold.quantity} × {hold.sku} at{' '}
        {store?.name ?? hold.storeId}
      </p>
      {hold.status === 'held' && (
        <div className="card stack">
          <p>
            Confirm within <strong aria-live="off">{countdown(hold.expiresAt, now)}</strong> (until{' '}
            {storeTime(hold.expiresAt, zone)}), or the units go back on the shelf.
          </p>
          <button
            type="button"
            disabled={busy}
            onClick={() => act('POST', `/api/holds/${encodeURIComponent(holdId)}/confirm`, keys.confirm)}
          >
            {busy ? 'Confirming…' : 'Confirm reservation'}
          </button>
        </div>
      )}
      <StoreReceipt ack={ack} active={open} zone={zone} what="reservation" />
      <Steps
        timeZone={zone}
        steps={[
          { label: 'Reserved', at: hold.createdAt },
          { label: 'Confirmed by you', at: hold.confirmedAt },
          { label: 'Received by the store', at: hold.acknowledgedAt },
          { label: 'Accepted by the store', at: hold.acceptedAt },
          { label: 'Ready for pickup', at: hold.pickedAt },
          { label: 'Collected', at: hold.fulfilledAt },
        ]}
      />
      {hold.status === 'expired' && (
        <p className="alert">This reservation expired before it was confirmed.</p>
      )}
      {hold.status === 'cancelled' && <p className="alert">This reservation was cancelled.</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {(hold.status === 'held' || hold.status === 'confirmed') && (
        <ConfirmButton
          label="Cancel reservation"
          question="Cancel this reservation? The units go back on the shelf."
          yes="Yes, cancel it"
          no="No, keep it"
          busy={busy}
          onConfirm={() => act('DELETE', `/api/holds/${encodeURIComponent(holdId)}`, keys.cancel)}
        />
      )}
      {store && (
        <p className="muted">
          {store.name}, {store.address} ·{' '}
          <a href={`tel:${store.phone.replace(/[^0-9+]/g, '')}`}>{store.phone}</a>
        </p>
      )}
      <Link href="/">Back to the home page</Link>
    </main>
  );
}
