import { useEffect, useState, useSyncExternalStore } from 'react';
import { TabletDb } from '../offline/db.ts';
import { Tablet } from '../offline/tablet.ts';
import { ActionsPanel } from './ActionsPanel.tsx';
import { AppointmentsView } from './AppointmentsView.tsx';
import { EnrollScreen } from './EnrollScreen.tsx';
import { PickupQueue } from './PickupQueue.tsx';
import { type ProductsPlace, ProductsView } from './ProductsView.tsx';
import { RemovedScreen } from './RemovedScreen.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';
import { TodayHours } from './TodayHours.tsx';
import './staff.css';

type Tab = 'products' | 'pickups' | 'appointments' | 'actions';

function createTablet(): Tablet {
  return new Tablet(new TabletDb(), window.location.origin, __APP_VERSION__);
}

/** The store tablet: enrollment, then products, pickups, appointments and the outbox. */
export function StaffApp() {
  const [tablet] = useState(createTablet);
  const [started, setStarted] = useState(false);
  const [startError, setStartError] = useState<string>();
  const snapshot = useSyncExternalStore(tablet.subscribe, tablet.getSnapshot);
  const [tab, setTab] = useState<Tab>('products');
  const [productsPlace, setProductsPlace] = useState<ProductsPlace>({ query: '' });

  useEffect(() => {
    tablet
      .start()
      .then(() => setStarted(true))
      .catch((error: unknown) => setStartError(error instanceof Error ? error.message : String(error)));
    return () => tablet.stop();
  }, [tablet]);

  if (startError) {
    return (
      <main className="page narrow" role="alert">
        <h1>Holdfast could not open its local data</h1>
        <p>{startError}</p>
        <p>Check that this browser allows storage for this site, then reload.</p>
      </main>
    );
  }
  if (!started) return <output className="page muted">Opening the store’s data…</output>;
  if (!snapshot.enrollment) return <EnrollScreen onEnroll={(code, name) => tablet.enroll(code, name)} />;

  const closedHere = new Set(snapshot.holdLog.filter((r) => r.closedAs).map((r) => r.id));
  const openPickups = tablet
    .holds()
    .filter(
      (h) =>
        (h.status === 'held' || h.status === 'confirmed' || h.status === 'picked') && !closedHere.has(h.id),
    );
  const tabs: [Tab, string][] = [
    ['products', 'Products'],
    ['pickups', `Pickups${openPickups.length ? ` (${openPickups.length})` : ''}`],
    ['appointments', 'Appointments'],
    ['actions', `Sync${snapshot.failed.length ? ` — ${snapshot.failed.length} need you` : ''}`],
  ];
  return (
    <div className="staff">
      <header className="staff-header">
        <div>
          <strong>Holdfast</strong>{' '}
          <span className="store-name" data-testid="store-name">
            {snapshot.store?.name ?? snapshot.enrollment.storeId}
          </span>
          {snapshot.store?.hours && (
            <TodayHours hours={snapshot.store.hours} timeZone={snapshot.store.timeZone} />
          )}
        </div>
        <SyncIndicator snapshot={snapshot} onOpen={() => setTab('actions')} />
      </header>
      {snapshot.revoked ? (
        <RemovedScreen tablet={tablet} snapshot={snapshot} />
      ) : (
        <>
          <nav className="tabs" aria-label="Sections">
            {tabs.map(([id, label]) => (
              <button
                key={id}
                type="button"
                aria-current={tab === id ? 'page' : undefined}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
          </nav>
          <main className="staff-main">
            {tab === 'products' && (
              <ProductsView
                tablet={tablet}
                snapshot={snapshot}
                place={productsPlace}
                onPlace={setProductsPlace}
              />
            )}
            {tab === 'pickups' && <PickupQueue tablet={tablet} snapshot={snapshot} />}
            {tab === 'appointments' && <AppointmentsView tablet={tablet} snapshot={snapshot} />}
            {tab === 'actions' && <ActionsPanel tablet={tablet} snapshot={snapshot} />}
          </main>
        </>
      )}
    </div>
  );
}
