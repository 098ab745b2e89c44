import { Link } from './Link.tsx';
import { useRoute, useTitle } from './router.ts';

/** The customer site: one page per route of shared/customer-routes.ts. */
export function CustomerApp() {
  const route = useRoute();
  return (
    <>
      <header className="site-header">
        <Link href="/" className="brand">
          Holdfast
        </Link>
      </header>
      {route?.page === 'home' ? <HomePlaceholder /> : <NotFound />}
    </>
  );
}

function HomePlaceholder() {
  useTitle('Find it, reserve it, book it');
  return (
    <main className="page narrow">
      <h1>Holdfast</h1>
    </main>
  );
}

export function NotFound() {
  useTitle('Page not found');
  return (
    <main className="page narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be incomplete.</p>
      <p>
        <Link href="/">Go to the home page</Link>
      </p>
    </main>
  );
}
