import { useDeferredValue, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { ProductDetail } from './ProductDetail.tsx';

/** Rows drawn at once; a search narrows the rest (10,000 products stay fast to filter). */
const MAX_ROWS = 100;

interface Row {
  sku: string;
  name: string;
  shelf: string;
  category: string;
  haystack: string;
}

function rowsOf(doc: Y.Doc | undefined): Row[] {
  if (!doc) return [];
  const rows: Row[] = [];
  doc.getMap<Y.Map<string>>(PRODUCTS_MAP).forEach((entry, sku) => {
    const name = entry.get('name') ?? sku;
    const shelf = entry.get('shelf') ?? '';
    const category = entry.get('category') ?? '';
    rows.push({ sku, name, shelf, category, haystack: `${sku} ${name} ${shelf} ${category}`.toLowerCase() });
  });
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

export function ProductsView({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string>();
  const deferredQuery = useDeferredValue(query.trim().toLowerCase());
  // biome-ignore lint/correctness/useExhaustiveDependencies: docVersion marks document changes.
  const rows = useMemo(() => rowsOf(tablet.document), [tablet, snapshot.docVersion]);
  const matches = useMemo(
    () => (deferredQuery ? rows.filter((r) => r.haystack.includes(deferredQuery)) : rows),
    [rows, deferredQuery],
  );
  const stock = tablet.stock();

  if (selected)
    return (
      <ProductDetail
        tablet={tablet}
        snapshot={snapshot}
        sku={selected}
        onBack={() => setSelected(undefined)}
      />
    );
  return (
    <section className="stack">
      <label className="search">
        <span className="visually-hidden">Search products</span>
        <input
          type="search"
          placeholder="Search by name, SKU, shelf or category"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="product-search"
        />
      </label>
      {rows.length === 0 ? (
        <p className="muted">
          {snapshot.sync === 'synced'
            ? 'This store has no products yet.'
            : 'Waiting for the store’s products to load…'}
        </p>
      ) : matches.length === 0 ? (
        <p className="muted">No product matches “{query}”.</p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {matches.length} product{matches.length === 1 ? '' : 's'}
            {matches.length > MAX_ROWS ? ` — showing the first ${MAX_ROWS}, search to narrow` : ''}
          </p>
          <ul className="list products">
            {matches.slice(0, MAX_ROWS).map((row) => {
              const s = stock[row.sku];
              const lease = snapshot.leases[row.sku];
              return (
                <li key={row.sku}>
                  <button
                    type="button"
                    className="product-row"
                    onClick={() => setSelected(row.sku)}
                    data-sku={row.sku}
                  >
                    <span className="name">{row.name}</span>
                    <span className="muted">
                      {row.sku}
                      {row.shelf ? ` · shelf ${row.shelf}` : ''}
                    </span>
                    <span className="numbers">
                      {s ? `${s.available} available · ${s.onHand} on hand` : 'no numbers yet'}
                      {lease && lease.quantity > 0 ? ` · ${lease.quantity} kept here` : ''}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
