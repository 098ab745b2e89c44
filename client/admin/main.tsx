import { StrictMode, useEffect, useMemo, useState } from 'react';
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
 * The admin console: sign in once with the admin token (first-run token or ADMIN_TOKEN); the
 * server answers with a session cookie (HttpOnly, SameSite=Strict), so the page never keeps
 * the token. Sign out ends the session on every server instance.
 */
const PAGES = {
  sync: 'Sync status',
  tablets: 'Tablets',
  events: 'Events and slots',
  products: 'Products and stock',
  audit: 'Audit log',
} as const;
type Page = keyof typeof PAGES;

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: token.trim() }),
      });
      if (res.status === 401) setError('That admin token is not valid. Check it and try again.');
      else if (res.status === 429) setError('Too many tries. Wait a minute and try again.');
      else if (!res.ok) setError(`The server answered ${res.status}. Try again in a moment.`);
      else onSignedIn();
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
  // Unknown until the server says whether this browser's session cookie is live.
  const [signedIn, setSignedIn] = useState<boolean>();
  useEffect(() => {
    fetch('/api/session')
      .then((res) => res.json() as Promise<{ signedIn: boolean }>)
      .then((state) => setSignedIn(state.signedIn))
      .catch(() => setSignedIn(false));
  }, []);
  // The page is in the address (#tablets), so a reload or a shared link opens the same page.
  const [page, setPageState] = useState<Page>(() => {
    const asked = window.location.hash.slice(1);
    return asked in PAGES ? (asked as Page) : 'sync';
  });
  const setPage = (next: Page) => {
    window.history.replaceState(null, '', `#${next}`);
    setPageState(next);
  };
  // A 401 (the session expired or was ended elsewhere) brings back the sign-in form.
  const api = useMemo(() => bearerAdminApi(undefined, '', () => setSignedIn(false)), []);
  if (signedIn === undefined) return <main className="page narrow" aria-busy="true" />;
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return (
    <>
      <header className="site-header">
        <strong>Holdfast admin</strong>
        <button
          type="button"
          onClick={() => {
            void fetch('/api/session', { method: 'DELETE' }).finally(() => setSignedIn(false));
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
