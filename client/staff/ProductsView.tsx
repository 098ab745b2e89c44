import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef } from 'react';
import { stockLevel } from '../offline/local-stock.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { ProductDetail } from './ProductDetail.tsx';
import { productRows, searchProducts } from './product-search.ts';

/** Height of one row in pixels, for the virtual list's first guess (rows are measured after). */
const ROW_ESTIMATE_PX = 76;

const LEVEL_TEXT = { out: 'Out of stock', low: 'Low', ok: '' } as const;

/** What the products tab shows; kept by the app, so a product's page or another tab keeps the search (issue 15 §9). */
export interface ProductsPlace {
  query: string;
  selected?: string | undefined;
}

/** The store's products with search; only the rows on screen are drawn (10,000 stay fast). */
export function ProductsView({
  tablet,
  snapshot,
  place,
  onPlace,
}: {
  tablet: Tablet;
  snapshot: TabletSnapshot;
  place: ProductsPlace;
  onPlace: (place: ProductsPlace) => void;
}) {
  const { query, selected } = place;
  const setQuery = (q: string) => onPlace({ query: q });
  const setSelected = (sku: string | undefined) => onPlace({ query, selected: sku });
  const deferredQuery = useDeferredValue(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: docVersion marks document changes.
  const rows = useMemo(() => productRows(tablet.document), [tablet, snapshot.docVersion]);
  const matches = useMemo(() => searchProducts(rows, deferredQuery), [rows, deferredQuery]);
  const viewport = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: matches.length,
    getScrollElement: () => viewport.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 8,
  });

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
          </p>
          <div className="product-list-viewport" ref={viewport}>
            <ul className="products" style={{ height: virtualizer.getTotalSize() }} aria-label="Products">
              {virtualizer.getVirtualItems().map((item) => {
                const row = matches[item.index];
                if (!row) return null;
                const local = tablet.localStock(row.sku);
                const lease = snapshot.leases[row.sku];
                const level = local ? stockLevel(local.available) : 'ok';
                return (
                  <li
                    key={row.sku}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <button
                      type="button"
                      className={`product-row level-${level}`}
                      onClick={() => setSelected(row.sku)}
                      data-sku={row.sku}
                    >
                      <span className="name">
                        {row.name}
                        {level !== 'ok' && <span className={`level-tag ${level}`}>{LEVEL_TEXT[level]}</span>}
                      </span>
                      <span className="muted">
                        {row.sku}
                        {row.shelf ? ` · shelf ${row.shelf}` : ''}
                      </span>
                      <span className="numbers">
                        {local ? `${local.available} available · ${local.onHand} on hand` : 'no numbers yet'}
                        {local && local.pending.actions > 0 ? ' (with unsent changes)' : ''}
                        {lease && lease.quantity > 0 ? ` · ${lease.quantity} kept here` : ''}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </div>
        </>
      )}
    </section>
  );
}
