import { readProduct } from '../offline/store-doc.ts';
import type { StaffHold, Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { clockTime } from '../ui/format.ts';

const STATUS_TEXT: Record<string, string> = {
  held: 'Waiting for the customer to confirm',
  confirmed: 'Confirmed — to pick',
  picked: 'Picked — ready to hand over',
};

/** New holds appear at once (the tablet acknowledges them by itself); staff accept, pick, hand over or cancel. */
export function PickupQueue({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  void snapshot.docVersion;
  const open = tablet.holds().filter((h) => h.status in STATUS_TEXT);
  const pendingFor = new Set(
    snapshot.pending.flatMap((e) =>
      e.command.name === 'hold.step' ? [`${e.command.args.holdId}/${e.command.args.step}`] : [],
    ),
  );
  if (open.length === 0) return <p className="muted">No pickups waiting.</p>;
  return (
    <ul className="list">
      {open.map((hold) => (
        <li key={hold.id} className="card" data-testid="pickup">
          <strong>
            {hold.quantity} × {productName(tablet, hold.sku)}
          </strong>{' '}
          for {hold.customer.name} <span className="muted">({hold.sku})</span>
          <p className="muted">
            {STATUS_TEXT[hold.status]} · reserved {clockTime(hold.createdAt)}
            {hold.acknowledgedAt ? ` · received by the store ${clockTime(hold.acknowledgedAt)}` : ''}
          </p>
          <HoldButtons tablet={tablet} hold={hold} busy={(step) => pendingFor.has(`${hold.id}/${step}`)} />
        </li>
      ))}
    </ul>
  );
}

function productName(tablet: Tablet, sku: string): string {
  const doc = tablet.document;
  return (doc && readProduct(doc, sku)?.name) || sku;
}

function HoldButtons({
  tablet,
  hold,
  busy,
}: {
  tablet: Tablet;
  hold: StaffHold;
  busy: (step: string) => boolean;
}) {
  const who = `${hold.quantity} × ${hold.sku} for ${hold.customer.name}`;
  const button = (step: 'accept' | 'pick' | 'hand-over' | 'cancel', label: string) => (
    <button
      type="button"
      disabled={busy(step)}
      onClick={() => void tablet.holdStep(hold.id, step, `${label}: ${who}`)}
    >
      {busy(step) ? `${label}…` : label}
    </button>
  );
  return (
    <div className="row">
      {!hold.acceptedAt && button('accept', 'Accept')}
      {hold.status === 'confirmed' && button('pick', 'Mark picked')}
      {(hold.status === 'confirmed' || hold.status === 'picked') && button('hand-over', 'Hand over')}
      {button('cancel', 'Cancel hold')}
    </div>
  );
}
