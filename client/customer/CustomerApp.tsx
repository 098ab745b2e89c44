import { BookingPage } from './BookingPage.tsx';
import { EventPage } from './EventPage.tsx';
import { HoldPage } from './HoldPage.tsx';
import { HomePage } from './HomePage.tsx';
import { useStores } from './hooks.ts';
import { Link } from './Link.tsx';
import { ProductPage } from './ProductPage.tsx';
import { ReservePage } from './ReservePage.tsx';
import { useRoute, useTitle } from './router.ts';
import { shopName } from './shop.ts';
import { WaitingRoomPage } from './WaitingRoomPage.tsx';

/** The customer site: one page per route of shared/customer-routes.ts. */
export function CustomerApp() {
  const route = useRoute();
  const { stores } = useStores();
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          {stores ? shopName(stores) : '\u00a0'}
        </Link>
      </header>
      <div id="content">
        {route?.page === 'home' && <HomePage />}
        {route?.page === 'product' && <ProductPage key={route.sku} sku={route.sku} />}
        {route?.page === 'reserve' && <ReservePage sku={route.sku} storeId={route.storeId} />}
        {route?.page === 'hold' && <HoldPage key={route.holdId} holdId={route.holdId} />}
        {route?.page === 'event' && <EventPage key={route.eventId} eventId={route.eventId} />}
        {route?.page === 'waiting-room' && <WaitingRoomPage key={route.eventId} eventId={route.eventId} />}
        {route?.page === 'booking' && <BookingPage key={route.bookingId} bookingId={route.bookingId} />}
        {route === undefined && <NotFound />}
      </div>
    </>
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
