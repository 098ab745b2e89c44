import { useState } from 'react';
import { productAvailabilitySchema } from '../../shared/api/customer.ts';
import { DEFAULT_MAX_PER_HOLD, holdLimitViewSchema } from '../../shared/api/hold-limits.ts';
import { createdHoldSchema, createHoldSchema } from '../../shared/api/holds.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { getJson, sendJson } from './api.ts';
import { type Contact, ContactFields, contactBody, emptyContact } from './ContactFields.tsx';
import { useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { navigate, useTitle } from './router.ts';
import { useKeyedForm } from './use-keyed-form.ts';

export function ReservePage({ sku, storeId }: { sku: string; storeId: string }) {
  const { byId } = useStores();
  const store = byId.get(storeId);
  const product = useLoad(
    () => getJson(`/api/products/${encodeURIComponent(sku)}/availability`, productAvailabilitySchema),
    [sku],
  );
  // The per-customer cap an admin set for this product (the server refuses more).
  const limit = useLoad(
    () => getJson(`/api/products/${encodeURIComponent(sku)}/hold-limit`, holdLimitViewSchema),
    [sku],
  );
  const maxPerHold = limit.value?.maxPerHold ?? DEFAULT_MAX_PER_HOLD;
  const available = product.value?.stores.find((s) => s.storeId === storeId)?.available;
  useTitle(`Reserve ${product.value?.name ?? sku}`);
  const [quantity, setQuantity] = useState('1');
  const [contact, setContact] = useState<Contact>(emptyContact);
  const form = useKeyedForm('hold', createHoldSchema);
  const { errors, failure, busy } = form;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    // The product's cap per hold (an admin sets it): said before anything is sent.
    if (Number(quantity) > maxPerHold) {
      form.setErrors({ quantity: `One customer may reserve at most ${maxPerHold} of this product.` });
      return;
    }
    void form.submit(
      { storeId, sku, quantity: Number(quantity), customer: contactBody(contact) },
      async (body, idempotencyKey) => {
        const hold = await sendJson('POST', '/api/holds', {
          body,
          idempotencyKey,
          schema: createdHoldSchema,
        });
        navigate(customerPaths.hold(hold.id, hold.manageToken));
      },
    );
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
          <label htmlFor="quantity">How many (at most {maxPerHold})</label>
          <input
            id="quantity"
            type="number"
            inputMode="numeric"
            min={1}
            max={maxPerHold}
            value={quantity}
            aria-invalid={errors.quantity ? true : undefined}
            aria-describedby={errors.quantity ? 'quantity-error' : undefined}
            onChange={(e) => setQuantity(e.target.value)}
          />
          {errors.quantity && (
            <p id="quantity-error" className="error">
              {errors.quantity}
            </p>
          )}
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
