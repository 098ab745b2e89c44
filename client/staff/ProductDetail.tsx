import type { LocalLease } from '../offline/db.ts';
import { type OfflineAllowance, offlineSellingEndsAt } from '../offline/lease-policy.ts';
import { readProduct } from '../offline/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { DetailsForm } from './DetailsForm.tsx';
import { KeepForOffline } from './KeepForOffline.tsx';
import { StockActions } from './StockActions.tsx';
import { lastSyncedText } from './SyncIndicator.tsx';
import { secondsAgo, storeTime } from './store-time.ts';
import { useNow } from './use-now.ts';

/**
 * What the tablet may do with a product's lease, in words: online, what it keeps and whose
 * part is whose (issue 8.1); offline, how many more it may sell (the same pure decision the
 * offline check uses, lease-policy.ts offlineAllowance). The end named is the same online and
 * offline: when this tablet stops selling offline (issue 15 §7).
 */
export function leaseLine(
  online: boolean,
  lease: LocalLease | undefined,
  allowance: OfflineAllowance,
  timeZone: string | undefined,
): { text: string; parts?: string } {
  const until = (at: number) => storeTime(at, timeZone);
  if (!online) {
    if (allowance.state === 'open')
      return {
        text: `Offline: this tablet may sell ${allowance.remaining} more (until ${until(allowance.endsAt)}).`,
      };
    if (allowance.state === 'ended')
      return { text: 'Offline: this tablet’s allowance for this product has ended. Reconnect to sell it.' };
    return { text: 'Offline: this tablet keeps no units of this product. Reconnect to sell it.' };
  }
  if (!lease || lease.quantity <= 0) return { text: 'Online: sales are checked by the server at once.' };
  const byHand = Math.min(lease.keptByHand ?? 0, lease.quantity);
  const automatic = lease.quantity - byHand;
  const parts = [
    byHand > 0 ? `${byHand} kept by staff (stays until given back)` : '',
    automatic > 0 ? `${automatic} added by the automatic rule (it may return them)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    text: `This tablet keeps ${lease.quantity} for offline selling until ${until(offlineSellingEndsAt(lease))}.`,
    parts,
  };
}

/** One product: its numbers as this tablet sees them, the actions on them and editable details. */
export function ProductDetail({
  tablet,
  snapshot,
  sku,
  onBack,
}: {
  tablet: Tablet;
  snapshot: TabletSnapshot;
  sku: string;
  onBack: () => void;
}) {
  const now = useNow();
  const doc = tablet.document;
  const product = doc ? readProduct(doc, sku) : undefined;
  const local = tablet.localStock(sku);
  const online = tablet.isOnline();
  const lease = snapshot.leases[sku];
  const line = leaseLine(online, lease, tablet.allowance(sku), snapshot.store?.timeZone);
  const mark = (n: number) =>
    n === 0 ? null : (
      <span className="pending-mark">
        {n > 0 ? '+' : '−'}
        {Math.abs(n)} not sent yet
      </span>
    );

  return (
    <section className="stack">
      <button type="button" className="link" onClick={onBack}>
        ← All products
      </button>
      <h2>{product?.name || sku}</h2>
      <p className="muted" data-testid="product-sku">
        SKU {sku}
        {product?.shelf ? ` · shelf ${product.shelf}` : ''}
      </p>
      <div className="card numbers-card" data-testid="stock-numbers">
        {local ? (
          <>
            <dl className="numbers-grid">
              <dt>On hand</dt>
              <dd data-testid="on-hand">
                {local.onHand}
                {mark(local.pending.onHand)}
              </dd>
              <dt>Held for pickup</dt>
              <dd>{local.held}</dd>
              <dt>Kept by tablets</dt>
              <dd data-testid="leased">
                {local.leased}
                {mark(local.pending.leased)}
              </dd>
              <dt>Available</dt>
              <dd data-testid="available">
                {local.available}
                {mark(local.pending.available)}
              </dd>
            </dl>
            <p className="muted" data-testid="as-of">
              {/* The same words as the header's "synced …" (issue 15 §7). */}
              Server’s numbers as of {lastSyncedText(snapshot, now)}
              {snapshot.sync === 'synced'
                ? ` (last changed ${secondsAgo(local.confirmed.updatedAt, now)})`
                : ', when this tablet was last in sync'}
              {local.pending.actions > 0
                ? `, with this tablet’s ${local.pending.actions} unsent change${local.pending.actions === 1 ? '' : 's'} applied`
                : ''}
              .
            </p>
            {local.confirmed.shortfall > 0 && (
              <p className="error" role="alert">
                Short by {local.confirmed.shortfall}: holds and tablets were promised more than the shelf has.
                Recount, or cancel a hold.
              </p>
            )}
          </>
        ) : (
          <p className="muted">No numbers from the server yet.</p>
        )}
        <p data-testid="lease-left">{line.text}</p>
        {line.parts && (
          <p className="lease-parts" data-testid="lease-parts">
            {line.parts}
          </p>
        )}
      </div>
      {online && (
        <KeepForOffline
          tablet={tablet}
          sku={sku}
          kept={lease?.quantity ?? 0}
          available={local?.available ?? 0}
        />
      )}
      <StockActions tablet={tablet} sku={sku} expected={local?.onHand} key={`stock-${sku}`} />
      <DetailsForm
        tablet={tablet}
        sku={sku}
        values={product}
        myDeviceId={snapshot.enrollment?.deviceId}
        inSync={snapshot.sync === 'synced'}
        key={sku}
      />
    </section>
  );
}
