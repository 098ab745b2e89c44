import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuditPage } from '../AuditPage.tsx';
import { bearerAdminApi } from '../admin-api.ts';
import { EventsPage } from '../EventsPage.tsx';
import { ProductsPage } from '../ProductsPage.tsx';
import { TabletsPage } from '../TabletsPage.tsx';
import '../../../ui/styles.css';

/**
 * A stand-in for the admin console's shell while it is being built: the control pages with
 * the admin token from the address (`#token=...`). Built only by the control pages' browser tests.
 */
const PAGES = { tablets: 'Tablets', events: 'Events', products: 'Products', audit: 'Audit log' } as const;
type Page = keyof typeof PAGES;

function Harness() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const api = useMemo(() => bearerAdminApi(token), [token]);
  const initial = (new URLSearchParams(window.location.search).get('page') ?? 'tablets') as Page;
  const [page, setPage] = useState<Page>(initial in PAGES ? initial : 'tablets');
  return (
    <>
      <nav className="tabs" aria-label="Admin pages">
        {(Object.keys(PAGES) as Page[]).map((p) => (
          <button
            key={p}
            type="button"
            aria-current={page === p ? 'page' : undefined}
            onClick={() => setPage(p)}
          >
            {PAGES[p]}
          </button>
        ))}
      </nav>
      <main>
        {page === 'tablets' && <TabletsPage api={api} />}
        {page === 'events' && <EventsPage api={api} />}
        {page === 'products' && <ProductsPage api={api} />}
        {page === 'audit' && <AuditPage api={api} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
