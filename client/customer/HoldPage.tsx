import { useEffect, useState } from 'react';
import { productAvailabilitySchema } from '../../shared/api/customer.ts';
import { type CustomerHold, customerHoldSchema, holdViewSchema } from '../../shared/api/holds.ts';
import type { Store } from '../../shared/api/stores.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { CustomerError, followLive, getJson, newActionKey, sendJson } from './api.ts';
import { useLoad, useNow, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { KeepLink, ManagedGate, StoreReceipt } from './Managed.tsx';
import { useFragmentToken, useTitle } from './router.ts';
import { ConfirmButton, Steps } from './Steps.tsx';
import { telHref } from './shop.ts';
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
  const [cancelledHere, setCancelledHere] = useState(false);
  // The product's name and price, as the customer chose it (issue 16 §7): the hold names only its code.
  const sku = hold?.sku;
  const product = useLoad(
    () =>
      sku
        ? getJson(`/api/products/${encodeURIComponent(sku)}/availability`, productAvailabilitySchema)
        : Promise.resolve(undefined),
    [sku],
  );

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
      return true;
    } catch (e) {
      setError(e instanceof CustomerError ? e.message : 'Something went wrong. Please try again.');
      return false;
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
  const name = product.value?.name ?? hold.sku;
  const price = product.value?.priceLabel;
  return (
    <main className="page narrow stack">
      <h1>Your reservation</h1>
      <p className="status-line" aria-live="polite">
        <strong>{STATUS_TEXT[hold.status]}</strong> · {hold.quantity} × {name} at{' '}
        {store?.name ?? hold.storeId}
      </p>
      <p className="muted" data-testid="hold-product">
        {price ? `Price: ${price} · ` : ''}product code {hold.sku}
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
      {hold.status === 'picked' && (
        <PickupCard holdId={hold.id} customerName={hold.customer.name} store={store} />
      )}
      <StoreReceipt
        ack={ack}
        active={hold.status === 'held' || hold.status === 'confirmed'}
        confirmed={hold.status !== 'held'}
        now={now}
        store={store}
        zone={zone}
        what="reservation"
      />
      {open && <KeepLink what="reservation" />}
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
        <div className="alert stacked stack">
          <p>This reservation expired before it was confirmed, and its units went back on the shelf.</p>
          <p>
            <Link className="button" href={customerPaths.reserve(hold.sku, hold.storeId)}>
              Reserve again
            </Link>
          </p>
        </div>
      )}
      {hold.status === 'cancelled' && (
        <div className="alert stacked stack">
          <p>
            {cancelledHere ? 'You cancelled this reservation' : 'This reservation was cancelled'}
            {hold.releasedAt !== undefined ? ` at ${storeTime(hold.releasedAt, zone)}` : ''}. Its units went
            back on the shelf.
          </p>
          {!cancelledHere && store && (
            <p>
              If you did not cancel it, the store did: call it to ask why.{' '}
              <a href={telHref(store.phone)}>
                Call {store.name}: {store.phone}
              </a>
            </p>
          )}
          <p>
            <Link href={customerPaths.reserve(hold.sku, hold.storeId)}>Reserve again</Link>
          </p>
        </div>
      )}
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
          onConfirm={async () => {
            if (await act('DELETE', `/api/holds/${encodeURIComponent(holdId)}`, keys.cancel))
              setCancelledHere(true);
          }}
        />
      )}
      {store && (
        <p className="muted">
          {store.name}, {store.address} · <a href={telHref(store.phone)}>{store.phone}</a>
        </p>
      )}
      <Link href="/">Back to the home page</Link>
    </main>
  );
}

/** What the customer needs at the counter (issue 16 §7): where, what to show, a reference. */
function PickupCard({
  holdId,
  customerName,
  store,
}: {
  holdId: string;
  customerName: string;
  store: Store | undefined;
}) {
  return (
    <section className="card stack ok" aria-labelledby="pickup-heading">
      <h2 id="pickup-heading">Ready for pickup</h2>
      <p>
        Pickup reference: <strong data-testid="pickup-reference">{pickupReference(holdId)}</strong>
      </p>
      <p>
        Go to the counter{store ? ` at ${store.name}, ${store.address}` : ''}, show this page and give the
        name <strong>{customerName}</strong>. The store keeps it set aside for you.
      </p>
    </section>
  );
}

/** The last characters of the hold's id, grouped: what a person reads out at the counter. */
function pickupReference(holdId: string): string {
  const tail = holdId
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(-6)
    .toUpperCase();
  return `${tail.slice(0, 3)}-${tail.slice(3)}`;
}
