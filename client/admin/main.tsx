import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AuditPage } from './pages/AuditPage.tsx';
import { bearerAdminApi } from './pages/admin-api.ts';
import { EventsPage } from './pages/EventsPage.tsx';
import { HoursPage } from './pages/HoursPage.tsx';
import { MessagesPage } from './pages/MessagesPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';
import { ReportsPage } from './pages/ReportsPage.tsx';
import { TabletsPage } from './pages/TabletsPage.tsx';
import { WebhooksPage } from './pages/WebhooksPage.tsx';
import { StoreSyncPage, TabletSyncPage } from './sync/DrillDowns.tsx';
import { SyncStatusPage } from './sync/SyncStatusPage.tsx';
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
  hours: 'Hours and schedules',
  products: 'Products and stock',
  audit: 'Audit log',
  reports: 'Reports',
  messages: 'Messages',
  webhooks: 'Webhooks',
} as const;
type Page = keyof typeof PAGES;

/** Where the address points: a page of the navigation, or a store's or a tablet's drill-down. */
type Route = { page: Page } | { page: 'sync'; store: string } | { page: 'sync'; tablet: string };

function routeOf(hash: string): Route {
  const [head = '', rest] = hash.replace(/^#\/?/, '').split(/\/(.*)/s);
  if (head === 'store' && rest) return { page: 'sync', store: decodeURIComponent(rest) };
  if (head === 'tablet' && rest) return { page: 'sync', tablet: decodeURIComponent(rest) };
  return { page: head in PAGES ? (head as Page) : 'sync' };
}

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
          aria-describedby="admin-token-hint"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
        />
        <p className="hint" id="admin-token-hint">
          No token? Ask the person who runs Holdfast for your company. If that is you: the server showed the
          token the first time it started, and keeps it in its data folder.
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
  // The page is in the address (#tablets, #store/aiea), so a reload, a shared link and the
  // browser's Back button open the same page.
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const follow = () => {
      setRoute(routeOf(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const { page } = route;
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
          <a key={p} href={`#${p}`} aria-current={page === p ? 'page' : undefined}>
            {PAGES[p]}
          </a>
        ))}
      </nav>
      <main>
        {'store' in route ? (
          <StoreSyncPage key={route.store} api={api} storeId={route.store} />
        ) : 'tablet' in route ? (
          <TabletSyncPage key={route.tablet} api={api} deviceId={route.tablet} />
        ) : (
          page === 'sync' && <SyncStatusPage api={api} />
        )}
        {page === 'tablets' && <TabletsPage api={api} />}
        {page === 'events' && <EventsPage api={api} />}
        {page === 'hours' && <HoursPage api={api} />}
        {page === 'products' && <ProductsPage api={api} />}
        {page === 'audit' && <AuditPage api={api} />}
        {page === 'reports' && <ReportsPage api={api} />}
        {page === 'messages' && <MessagesPage api={api} />}
        {page === 'webhooks' && <WebhooksPage api={api} />}
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
