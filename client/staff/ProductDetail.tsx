import { type FormEvent, useState } from 'react';
import { PRODUCT_FIELDS, type ProductField } from '../../shared/store-doc.ts';
import { readProduct } from '../offline/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';

const FIELD_LABELS: Record<ProductField, string> = {
  name: 'Name',
  description: 'Description',
  category: 'Category',
  priceLabel: 'Price label',
  shelf: 'Shelf location',
  notes: 'Staff notes',
};

type StockAction = 'receive' | 'count' | 'sale' | 'write_off';

/** One product: editable details (CRDT, offline) and its scarce numbers with the actions on them. */
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
  const doc = tablet.document;
  const product = doc ? readProduct(doc, sku) : undefined;
  const stock = tablet.stock()[sku];
  const online = tablet.isOnline();
  const lease = snapshot.leases[sku];
  const leaseLeft = lease ? Math.max(0, lease.quantity - tablet.usedOffline(sku)) : 0;

  return (
    <section className="stack">
      <button type="button" className="link" onClick={onBack}>
        ← All products
      </button>
      <h2>{product?.name || sku}</h2>
      <div className="card numbers-card" data-testid="stock-numbers">
        {stock ? (
          <>
            <dl className="numbers-grid">
              <dt>On hand</dt>
              <dd data-testid="on-hand">{stock.onHand}</dd>
              <dt>Held for pickup</dt>
              <dd>{stock.held}</dd>
              <dt>Kept by tablets</dt>
              <dd>{stock.leased}</dd>
              <dt>Available</dt>
              <dd data-testid="available">{stock.available}</dd>
            </dl>
            <p className="muted">As of {timeAgo(stock.updatedAt)} (confirmed by the server)</p>
            {stock.shortfall > 0 && (
              <p className="error" role="alert">
                Short by {stock.shortfall}: holds and tablets were promised more than the shelf has. Recount,
                or cancel a hold.
              </p>
            )}
          </>
        ) : (
          <p className="muted">No numbers from the server yet.</p>
        )}
        <p data-testid="lease-left">
          {online
            ? lease && lease.quantity > 0
              ? `This tablet keeps ${lease.quantity} for offline selling.`
              : 'Online: sales are checked by the server at once.'
            : `Offline: this tablet may sell ${leaseLeft} more.`}
        </p>
      </div>
      {online && (
        <KeepForOffline
          tablet={tablet}
          sku={sku}
          kept={lease?.quantity ?? 0}
          available={stock?.available ?? 0}
        />
      )}
      <StockActions tablet={tablet} sku={sku} lastSeen={stock?.onHand} />
      <DetailsForm tablet={tablet} sku={sku} values={product} key={sku} />
    </section>
  );
}

/** Staff take units onto this tablet before going where there is no signal (DESIGN rule 3). */
function KeepForOffline({
  tablet,
  sku,
  kept,
  available,
}: {
  tablet: Tablet;
  sku: string;
  kept: number;
  available: number;
}) {
  const [amount, setAmount] = useState('2');
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(amount);
    if (!Number.isInteger(n) || n < 1) return setError('Enter a whole number of at least 1.');
    if (n > available) return setError(`Only ${available} available to keep.`);
    setError(undefined);
    await tablet.keepForOffline(sku, n);
  }

  return (
    <form className="card row" onSubmit={submit} aria-label="Keep for offline selling">
      <label htmlFor="keep-amount">Keep for offline selling</label>
      <input
        id="keep-amount"
        type="number"
        min={1}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        style={{ width: '6rem' }}
      />
      <button type="submit">Keep</button>
      {kept > 0 && (
        <button type="button" onClick={() => void tablet.giveBack(sku)}>
          Give back {kept}
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function StockActions({
  tablet,
  sku,
  lastSeen,
}: {
  tablet: Tablet;
  sku: string;
  lastSeen: number | undefined;
}) {
  const [action, setAction] = useState<StockAction>('sale');
  const [amount, setAmount] = useState('1');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(amount);
    if (!Number.isInteger(n) || n < (action === 'count' ? 0 : 1)) {
      setMessage({
        kind: 'error',
        text:
          action === 'count'
            ? 'Enter the number of units on the shelf (0 or more).'
            : 'Enter a whole number of at least 1.',
      });
      return;
    }
    if (action === 'receive') await tablet.receive(sku, n);
    if (action === 'count') {
      if (lastSeen === undefined) {
        setMessage({
          kind: 'error',
          text: 'Counting needs the server’s last number first. Connect once, then count.',
        });
        return;
      }
      await tablet.count(sku, n, lastSeen);
    }
    if (action === 'sale' || action === 'write_off') {
      const check = await tablet.remove(action, sku, n, reason.trim() || undefined);
      if (!check.ok) {
        setMessage({ kind: 'error', text: check.reason });
        return;
      }
    }
    setMessage({ kind: 'ok', text: 'Saved on this tablet. It is sent to the server as soon as possible.' });
    setAmount(action === 'count' ? amount : '1');
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Change stock">
      <fieldset className="row">
        <legend>Change stock</legend>
        {(
          [
            ['sale', 'Sell'],
            ['receive', 'Receive'],
            ['count', 'Count'],
            ['write_off', 'Write off'],
          ] as [StockAction, string][]
        ).map(([id, label]) => (
          <label key={id} className="choice">
            <input
              type="radio"
              name="stock-action"
              value={id}
              checked={action === id}
              onChange={() => setAction(id)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label>
        {action === 'count' ? 'Units on the shelf' : 'Units'}
        <input
          type="number"
          inputMode="numeric"
          min={action === 'count' ? 0 : 1}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          data-testid="stock-amount"
        />
      </label>
      {action === 'write_off' && (
        <label>
          Reason
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Damaged, lost…"
            maxLength={200}
          />
        </label>
      )}
      {message && (
        <p
          className={message.kind === 'error' ? 'error' : 'ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="stock-message"
        >
          {message.text}
        </p>
      )}
      <button type="submit">Save</button>
    </form>
  );
}

function DetailsForm({
  tablet,
  sku,
  values,
}: {
  tablet: Tablet;
  sku: string;
  values: Record<ProductField, string> | undefined;
}) {
  const [draft, setDraft] = useState<Record<ProductField, string>>(
    values ?? { name: '', description: '', category: '', priceLabel: '', shelf: '', notes: '' },
  );
  const [saved, setSaved] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    for (const field of PRODUCT_FIELDS) {
      if (draft[field] !== (values?.[field] ?? '')) tablet.editProduct(sku, field, draft[field]);
    }
    setSaved(true);
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Product details">
      <h3>Details</h3>
      {PRODUCT_FIELDS.map((field) => {
        const id = `product-${field}`;
        const onChange = (value: string) => setDraft({ ...draft, [field]: value });
        return (
          <div key={field}>
            <label htmlFor={id}>{FIELD_LABELS[field]}</label>
            {field === 'description' || field === 'notes' ? (
              <textarea
                id={id}
                name={field}
                rows={3}
                value={draft[field]}
                onChange={(e) => onChange(e.target.value)}
              />
            ) : (
              <input id={id} name={field} value={draft[field]} onChange={(e) => onChange(e.target.value)} />
            )}
          </div>
        );
      })}
      {saved && <output className="ok">Saved. Other tablets get it when they are online.</output>}
      <button type="submit">Save details</button>
    </form>
  );
}
