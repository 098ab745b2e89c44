import { useEffect, useState } from 'react';
import { eventListSchema } from '../../shared/api/bookings.ts';
import { productSearchSchema } from '../../shared/api/customer.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { todayHoursLabel } from '../../shared/opening-hours.ts';
import { getJson } from './api.ts';
import { useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { navigate, useQueryParam, useTitle } from './router.ts';
import { shopName, telHref } from './shop.ts';

/** Products per page of search results. */
const PAGE_SIZE = 20;

export function HomePage() {
  const { stores, error: storesError } = useStores();
  const shop = shopName(stores);
  useTitle(`${shop}: stores, products and appointments`);
  const events = useLoad(() => getJson('/api/events', eventListSchema), []);
  // The query lives in the address (issue 16 §8): Back, a reload and a shared link keep it.
  const submitted = useQueryParam('q');
  const page = Math.max(1, Number(useQueryParam('page') ?? '1') || 1);
  const [q, setQ] = useState(submitted ?? '');
  useEffect(() => setQ(submitted?.trim() ?? ''), [submitted]);
  const results = useLoad(
    () =>
      submitted === undefined
        ? Promise.resolve(undefined)
        : getJson(
            `/api/products?q=${encodeURIComponent(submitted)}&limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`,
            productSearchSchema,
          ),
    [submitted, page],
  );
  const found = results.value;
  const pages = found ? Math.ceil(found.total / PAGE_SIZE) : 0;
  return (
    <main className="page narrow stack">
      <h1>{stores ? shop : 'Welcome'}</h1>
      <p className="lead">Reserve for pickup, or book an appointment.</p>
      <section aria-labelledby="search-heading" className="stack">
        <h2 id="search-heading">Find a product</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(customerPaths.home(q.trim() || ' '));
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
        {submitted !== undefined && !found && !results.error && <p aria-live="polite">Searching…</p>}
        {found && (
          <>
            <p aria-live="polite" className="muted">
              {found.total === 0
                ? `No product matches “${submitted?.trim()}”. Try fewer words, or another spelling.`
                : `${found.total} ${found.total === 1 ? 'product' : 'products'} found${
                    pages > 1
                      ? `: ${found.offset + 1}–${found.offset + found.products.length} shown (page ${page} of ${pages})`
                      : ''
                  }.`}
            </p>
            <ul className="list results">
              {found.products.map((p) => (
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
            {pages > 1 && (
              <nav aria-label="Result pages" className="row wrap">
                {page > 1 && <Link href={customerPaths.home(submitted ?? '', page - 1)}>Previous page</Link>}
                {page < pages && <Link href={customerPaths.home(submitted ?? '', page + 1)}>Next page</Link>}
              </nav>
            )}
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
              {store.hours && (
                <p className="store-hours" data-testid={`hours-${store.id}`}>
                  {todayHoursLabel(store.hours, Date.now(), store.timeZone)}
                </p>
              )}
              <p>{store.address}</p>
              <p>
                <a href={telHref(store.phone)}>{store.phone}</a>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
