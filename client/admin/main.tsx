import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuditPage } from './pages/AuditPage.tsx';
import { bearerAdminApi } from './pages/admin-api.ts';
import { EventsPage } from './pages/EventsPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';
import { TabletsPage } from './pages/TabletsPage.tsx';
import { SyncStatusPage } from './SyncStatusPage.tsx';
import '../ui/styles.css';
import './admin.css';

/**
 * The admin console: sign in with the admin token (first-run token or ADMIN_TOKEN), then the
 * control pages. The token is kept for this browser tab only (sessionStorage) and sent as a
 * bearer credential; session cookies with CSRF protection are issue 7's next step.
 */
const PAGES = {
  sync: 'Sync status',
  tablets: 'Tablets',
  events: 'Events and slots',
  products: 'Products and stock',
  audit: 'Audit log',
} as const;
type Page = keyof typeof PAGES;
const TOKEN_KEY = 'holdfast-admin-token';

function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = await fetch('/api/admin/devices', { headers: { authorization: `Bearer ${token.trim()}` } });
      if (res.status === 401 || res.status === 403)
        setError('That admin token is not valid. Check it and try again.');
      else if (!res.ok) setError(`The server answered ${res.status}. Try again in a moment.`);
      else onSignedIn(token.trim());
    } catch {
      setError('The server cannot be reached. Check the connection and try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page narrow">
      <h1>Holdfast admin console</h1>
      <form onSubmit={submit} className="stack">
        <label htmlFor="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
        />
        <p className="hint">
          The token printed by the first `npm start` (also in .data/admin-token), or ADMIN_TOKEN.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function Console() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  // The page is in the address (#tablets), so a reload or a shared link opens the same page.
  const [page, setPageState] = useState<Page>(() => {
    const asked = window.location.hash.slice(1);
    return asked in PAGES ? (asked as Page) : 'sync';
  });
  const setPage = (next: Page) => {
    window.history.replaceState(null, '', `#${next}`);
    setPageState(next);
  };
  const api = useMemo(() => bearerAdminApi(token), [token]);
  if (!token) {
    return (
      <SignIn
        onSignedIn={(t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <>
      <header className="site-header">
        <strong>Holdfast admin</strong>
        <button
          type="button"
          onClick={() => {
            sessionStorage.removeItem(TOKEN_KEY);
            setToken('');
          }}
        >
          Sign out
        </button>
      </header>
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
        {page === 'sync' && <SyncStatusPage api={api} />}
        {page === 'tablets' && <TabletsPage api={api} />}
        {page === 'events' && <EventsPage api={api} />}
        {page === 'products' && <ProductsPage api={api} />}
        {page === 'audit' && <AuditPage api={api} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('admin/index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Console />
  </StrictMode>,
);
