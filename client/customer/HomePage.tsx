import { useState } from 'react';
import { eventListSchema } from '../../shared/api/bookings.ts';
import { productSearchSchema } from '../../shared/api/customer.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { getJson } from './api.ts';
import { useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { useTitle } from './router.ts';

export function HomePage() {
  useTitle('Stores, products and appointments');
  const { stores, error: storesError } = useStores();
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  const [q, setQ] = useState('');
  const [submitted, setSubmitted] = useState<string>();
  const results = useLoad(
    () =>
      submitted === undefined
        ? Promise.resolve(undefined)
        : getJson(`/api/products?q=${encodeURIComponent(submitted)}&limit=20`, productSearchSchema),
    [submitted],
  );
  return (
    <main className="page narrow stack">
      <h1>Reserve for pickup, or book an appointment</h1>
      <section aria-labelledby="search-heading" className="stack">
        <h2 id="search-heading">Find a product</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(q.trim());
          }}
        >
          <label htmlFor="product-search" className="visually-hidden">
            Product name or code
          </label>
          <input
            id="product-search"
            type="search"
            placeholder="Product name or code"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        {results.error && (
          <p role="alert" className="error">
            {results.error}
          </p>
        )}
        {submitted !== undefined && !results.value && !results.error && <p aria-live="polite">Searching…</p>}
        {results.value && (
          <>
            <p aria-live="polite" className="muted">
              {results.value.total === 0
                ? `No product matches “${submitted}”.`
                : `${results.value.total} ${results.value.total === 1 ? 'product' : 'products'} found.`}
            </p>
            <ul className="list results">
              {results.value.products.map((p) => (
                <li key={p.sku} className="card">
                  <Link href={customerPaths.product(p.sku)}>{p.name}</Link>
                  <span className="muted">
                    {' '}
                    {p.priceLabel && `${p.priceLabel} · `}
                    {p.available > 0
                      ? `${p.available} available in ${p.stores} ${p.stores === 1 ? 'store' : 'stores'}`
                      : 'Sold out everywhere'}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="events-heading" className="stack">
        <h2 id="events-heading">Appointments</h2>
        {events.error && (
          <p role="alert" className="error">
            {events.error}
          </p>
        )}
        {events.value && events.value.events.length === 0 && (
          <p className="muted">No events are open for booking now.</p>
        )}
        <ul className="list">
          {events.value?.events.map((event) => (
            <li key={event.id} className="card">
              <Link href={customerPaths.event(event.id)}>{event.name}</Link>
              <p className="muted">
                New spots for the next day are available at 12:00 a.m. daily, store time.
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="stores-heading" className="stack">
        <h2 id="stores-heading">Our stores</h2>
        {storesError && (
          <p role="alert" className="error">
            {storesError}
          </p>
        )}
        {!stores && !storesError && <p aria-live="polite">Loading stores…</p>}
        <ul className="list">
          {stores?.map((store) => (
            <li key={store.id} className="card">
              <h3>{store.name}</h3>
              <p>{store.address}</p>
              <p>
                <a href={`tel:${store.phone.replace(/[^0-9+]/g, '')}`}>{store.phone}</a>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
