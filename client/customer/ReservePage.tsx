import { useState } from 'react';
import { productAvailabilitySchema } from '../../shared/api/customer.ts';
import { createdHoldSchema, createHoldSchema } from '../../shared/api/holds.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { CustomerError, getJson, newActionKey, sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody, emptyContact, issuesByPath } from './ContactFields.tsx';
import { useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { navigate, useTitle } from './router.ts';

/** Most units one customer may reserve in one hold (the server refuses more). */
const MAX_PER_HOLD = 20;

export function ReservePage({ sku, storeId }: { sku: string; storeId: string }) {
  const { byId } = useStores();
  const store = byId.get(storeId);
  const product = useLoad(
    () => getJson(`/api/products/${encodeURIComponent(sku)}/availability`, productAvailabilitySchema),
    [sku],
  );
  const available = product.value?.stores.find((s) => s.storeId === storeId)?.available;
  useTitle(`Reserve ${product.value?.name ?? sku}`);
  const [quantity, setQuantity] = useState('1');
  const [contact, setContact] = useState<Contact>(emptyContact);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  // One key per attempt at this exact request: pressing again after a failure cannot hold twice.
  const [attempt, setAttempt] = useState<{ body: string; key: string }>();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFailure('');
    const request = { storeId, sku, quantity: Number(quantity), customer: contactBody(contact) };
    const parsed = createHoldSchema.safeParse(request);
    if (!parsed.success) {
      setErrors(issuesByPath(parsed.error.issues));
      return;
    }
    setErrors({});
    const body = JSON.stringify(parsed.data);
    const key = attempt?.body === body ? attempt.key : newActionKey('hold');
    setAttempt({ body, key });
    setBusy(true);
    try {
      const hold = await sendJson('POST', '/api/holds', {
        body: parsed.data,
        idempotencyKey: key,
        schema: createdHoldSchema,
      });
      navigate(customerPaths.hold(hold.id, hold.manageToken));
    } catch (error) {
      if (error instanceof CustomerError) {
        setFailure(error.message);
        setErrors(error.fields);
      } else setFailure('Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page narrow stack">
      <h1>Reserve {product.value?.name ?? sku}</h1>
      <p>
        Pick it up at <strong>{store?.name ?? storeId}</strong>
        {store && <span className="muted"> · {store.address}</span>}
      </p>
      {available !== undefined && (
        <p className="muted">
          {available > 0 ? `${available} available now.` : 'Sold out at this store right now.'}
        </p>
      )}
      {product.error && (
        <p role="alert" className="error">
          {product.error}
        </p>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        <div className="stack">
          <label htmlFor="quantity">How many (at most {MAX_PER_HOLD})</label>
          <input
            id="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_PER_HOLD}
            value={quantity}
            aria-invalid={errors.quantity ? true : undefined}
            onChange={(e) => setQuantity(e.target.value)}
          />
          {errors.quantity && <p className="error">{errors.quantity}</p>}
        </div>
        <ContactFields value={contact} onChange={setContact} errors={errors} />
        <p className="muted">You then have 15 minutes to confirm the reservation on the next page.</p>
        {failure && (
          <p role="alert" className="error">
            {failure}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Reserving…' : 'Reserve'}
        </button>
      </form>
      <Link href={customerPaths.product(sku)}>Back to the stores</Link>
    </main>
  );
}
