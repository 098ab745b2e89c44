import { useEffect, useMemo, useState } from 'react';
import { availabilityEventSchema, productAvailabilitySchema } from '../../shared/api/customer.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { followLive, getJson } from './api.ts';
import { useGeolocation, useLoad, useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { useTitle } from './router.ts';
import { distanceKm } from './time.ts';

type Sort = 'distance' | 'available';

/** One product at every store: units left, live, sorted by distance or by most available. */
export function ProductPage({ sku }: { sku: string }) {
  const { byId } = useStores();
  const loaded = useLoad(
    () => getJson(`/api/products/${encodeURIComponent(sku)}/availability`, productAvailabilitySchema),
    [sku],
  );
  const [live, setLive] = useState<Record<string, number>>({});
  const [sort, setSort] = useState<Sort>('available');
  const [near, setNear] = useState<string>('');
  const geo = useGeolocation();
  useTitle(loaded.value?.name ?? 'Product');

  const storeIds = loaded.value?.stores.map((s) => s.storeId).join(',') ?? '';
  useEffect(() => {
    if (!storeIds) return;
    const stops = storeIds.split(',').map((storeId) =>
      followLive(`/api/live/stores/${storeId}?sku=${encodeURIComponent(sku)}`, (event, data) => {
        if (event !== 'availability') return;
        const parsed = availabilityEventSchema.safeParse(JSON.parse(data));
        if (parsed.success) setLive((l) => ({ ...l, [parsed.data.storeId]: parsed.data.available }));
      }),
    );
    return () => {
      for (const stop of stops) stop();
    };
  }, [sku, storeIds]);

  const origin = geo.place ?? (near ? byId.get(near) : undefined);
  const rows = useMemo(() => {
    const list = (loaded.value?.stores ?? []).map((s) => {
      const store = byId.get(s.storeId);
      return {
        ...s,
        available: live[s.storeId] ?? s.available,
        store,
        km: origin && store ? distanceKm(origin, store) : undefined,
      };
    });
    return list.sort((a, b) =>
      sort === 'distance' && a.km !== undefined && b.km !== undefined
        ? a.km - b.km
        : b.available - a.available,
    );
  }, [loaded.value, live, byId, origin, sort]);

  if (loaded.error) {
    return (
      <main className="page narrow">
        <h1>Product</h1>
        <p role="alert" className="error">
          {loaded.error}
        </p>
        <Link href="/">Back to the home page</Link>
      </main>
    );
  }
  if (!loaded.value)
    return (
      <main className="page narrow" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  return (
    <main className="page narrow stack">
      <h1>{loaded.value.name}</h1>
      <p className="muted">
        {loaded.value.priceLabel && `${loaded.value.priceLabel} · `}Code {loaded.value.sku}
      </p>
      <fieldset className="row">
        <legend>Sort stores</legend>
        <label className="choice">
          <input
            type="radio"
            name="sort"
            checked={sort === 'available'}
            onChange={() => setSort('available')}
          />{' '}
          Most available
        </label>
        <label className="choice">
          <input
            type="radio"
            name="sort"
            checked={sort === 'distance'}
            onChange={() => {
              setSort('distance');
              if (!geo.place && geo.status === 'idle') geo.ask();
            }}
          />{' '}
          Closest
        </label>
      </fieldset>
      {sort === 'distance' && !geo.place && (
        <div className="stack">
          {geo.status === 'asking' && <p aria-live="polite">Finding where you are…</p>}
          {geo.status === 'denied' && (
            <p className="muted">Your location is not available. Choose a place instead.</p>
          )}
          <label htmlFor="near">Near</label>
          <select id="near" value={near} onChange={(e) => setNear(e.target.value)}>
            <option value="">Choose a store’s area</option>
            {[...byId.values()].map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <ul className="list" aria-label="Stores">
        {rows.map((row) => (
          <li key={row.storeId} className="card store-row" data-testid="store-availability">
            <div>
              <h2>{row.store?.name ?? row.storeId}</h2>
              <p className="muted">
                {row.store?.address}
                {row.km !== undefined && ` · ${row.km.toFixed(1)} km`}
              </p>
            </div>
            <p aria-live="polite">
              {row.available > 0 ? <strong>{row.available} available</strong> : 'Sold out'}
            </p>
            {row.available > 0 ? (
              <Link className="button" href={customerPaths.reserve(sku, row.storeId)}>
                Reserve at {row.store?.name ?? row.storeId}
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
    </main>
  );
}
