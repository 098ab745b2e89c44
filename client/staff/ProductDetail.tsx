import { type FormEvent, useEffect, useState } from 'react';
import { isTextField, PRODUCT_FIELDS, type ProductField } from '../../shared/store-doc.ts';
import type { LocalLease } from '../offline/db.ts';
import type { OfflineAllowance } from '../offline/lease-policy.ts';
import { readFieldEdit, readProduct } from '../offline/store-doc.ts';
import type { ActionOutcome, Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { clockTime, timeAgo } from '../ui/format.ts';
import { explainRefusal } from './refusal.ts';

const FIELD_LABELS: Record<ProductField, string> = {
  name: 'Name',
  description: 'Description',
  category: 'Category',
  priceLabel: 'Price label',
  shelf: 'Shelf location',
  notes: 'Staff notes',
};

type StockAction = 'receive' | 'count' | 'sale' | 'write_off';

/**
 * What the tablet may do with a product's lease, in words: online, what it keeps and whose
 * part is whose (issue 8.1); offline, how many more it may sell (the same pure decision the
 * offline check uses, lease-policy.ts offlineAllowance).
 */
export function leaseLine(
  online: boolean,
  lease: LocalLease | undefined,
  allowance: OfflineAllowance,
  timeZone: string | undefined,
): { text: string; parts?: string } {
  const until = (at: number) => clockTime(at, timeZone);
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
    text: `This tablet keeps ${lease.quantity} for offline selling until ${until(lease.expiresAt)}.`,
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
              Server’s numbers as of {timeAgo(local.confirmed.updatedAt)}
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
      <StockActions tablet={tablet} sku={sku} lastSeen={local?.onHand} />
      <DetailsForm
        tablet={tablet}
        sku={sku}
        values={product}
        myDeviceId={snapshot.enrollment?.deviceId}
        key={sku}
      />
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
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function run(work: () => Promise<ActionOutcome>, done: string) {
    setBusy(true);
    try {
      setMessage(describeOutcome(await work(), done));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(amount);
    if (!Number.isInteger(n) || n < 1)
      return setMessage({ kind: 'error', text: 'Enter a whole number of at least 1.' });
    if (n > available) return setMessage({ kind: 'error', text: `Only ${available} available to keep.` });
    void run(() => tablet.keepForOffline(sku, n), `Kept ${n} on this tablet for offline selling.`);
  }

  return (
    <form className="card row" onSubmit={submit} aria-label="Keep for offline selling">
      <label htmlFor="keep-amount">Keep for offline selling</label>
      <input
        id="keep-amount"
        type="number"
        min={1}
        value={amount}
        onChange={(e) => {
          setAmount(e.target.value);
          setMessage(undefined);
        }}
        style={{ width: '6rem' }}
      />
      <button type="submit" disabled={busy}>
        {busy ? 'Keeping…' : 'Keep'}
      </button>
      {kept > 0 && (
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => tablet.giveBack(sku), 'Given back to the store.')}
        >
          Give back {kept}
        </button>
      )}
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** The words for an action's outcome, in place where staff acted (issue 8.2). */
export function describeOutcome(
  outcome: ActionOutcome,
  done: string,
): { kind: 'ok' | 'error'; text: string } {
  switch (outcome.kind) {
    case 'done':
      return { kind: 'ok', text: done };
    case 'queued':
      return {
        kind: 'ok',
        text: outcome.offline
          ? 'Offline: saved on this tablet. It is sent to the server when the tablet is back online.'
          : 'Saved on this tablet. The server has not answered yet; it is sent again until it does.',
      };
    case 'not-allowed':
      return { kind: 'error', text: outcome.reason };
    case 'refused': {
      const { text, advice } = explainRefusal(outcome, outcome.seenAvailable);
      return { kind: 'error', text: `${text} ${advice}` };
    }
  }
}

const DONE_TEXT: Record<StockAction, (n: number) => string> = {
  sale: (n) => `Sold ${n}. The server confirmed it.`,
  receive: (n) => `Received ${n}. The server confirmed it.`,
  count: (n) => `Count of ${n} recorded. The server confirmed it.`,
  write_off: (n) => `Wrote off ${n}. The server confirmed it.`,
};

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
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  async function perform(n: number): Promise<ActionOutcome | string> {
    if (action === 'receive') return tablet.receive(sku, n);
    if (action === 'count') {
      if (lastSeen === undefined)
        return 'Counting needs the server’s last number first. Connect once, then count.';
      return tablet.count(sku, n, lastSeen);
    }
    return tablet.remove(action, sku, n, reason.trim() || undefined);
  }

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
    setBusy(true);
    setMessage(undefined);
    try {
      const outcome = await perform(n);
      if (typeof outcome === 'string') return setMessage({ kind: 'error', text: outcome });
      setMessage(describeOutcome(outcome, DONE_TEXT[action](n)));
      if (outcome.kind === 'done' || outcome.kind === 'queued') setAmount(action === 'count' ? amount : '1');
    } finally {
      setBusy(false);
    }
  }

  const edit = (apply: () => void) => {
    apply();
    setMessage(undefined);
  };

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
              onChange={() => edit(() => setAction(id))}
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
          onChange={(e) => edit(() => setAmount(e.target.value))}
          data-testid="stock-amount"
        />
      </label>
      {action === 'write_off' && (
        <label>
          Reason
          <input
            value={reason}
            onChange={(e) => edit(() => setReason(e.target.value))}
            placeholder="Damaged, lost…"
            maxLength={200}
          />
        </label>
      )}
      {busy && <output className="muted">Waiting for the server’s answer…</output>}
      {message && (
        <p
          className={message.kind === 'error' ? 'error' : 'ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="stock-message"
        >
          {message.text}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function DetailsForm({
  tablet,
  sku,
  values,
  myDeviceId,
}: {
  tablet: Tablet;
  sku: string;
  values: Record<ProductField, string> | undefined;
  myDeviceId: string | undefined;
}) {
  const current = values ?? EMPTY_DETAILS;
  const [draft, setDraft] = useState<Record<ProductField, string>>(current);
  // What the form last took from the document: a field staff have not touched follows it.
  const [base, setBase] = useState<Record<ProductField, string>>(current);
  const [saved, setSaved] = useState(false);
  const doc = tablet.document;

  const currentKey = JSON.stringify(current);
  // biome-ignore lint/correctness/useExhaustiveDependencies: currentKey stands for `current`.
  useEffect(() => {
    const untouched = PRODUCT_FIELDS.filter((f) => draft[f] === base[f] && current[f] !== base[f]);
    if (untouched.length === 0) return;
    setDraft((d) => ({ ...d, ...Object.fromEntries(untouched.map((f) => [f, current[f]])) }));
    setBase((b) => ({ ...b, ...Object.fromEntries(untouched.map((f) => [f, current[f]])) }));
  }, [currentKey]);

  function submit(event: FormEvent) {
    event.preventDefault();
    for (const field of PRODUCT_FIELDS) {
      if (draft[field] !== current[field]) tablet.editProduct(sku, field, draft[field]);
    }
    setBase(draft);
    setSaved(true);
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Product details">
      <h3>Details</h3>
      {PRODUCT_FIELDS.map((field) => {
        const id = `product-${field}`;
        const onChange = (value: string) => {
          setDraft({ ...draft, [field]: value });
          setSaved(false);
        };
        const conflict = draft[field] !== base[field] && current[field] !== base[field];
        const edit = doc && !isTextField(field) ? readFieldEdit(doc, sku, field) : undefined;
        const elsewhere = edit && edit.deviceId !== myDeviceId ? edit : undefined;
        return (
          <div key={field}>
            <label htmlFor={id}>{FIELD_LABELS[field]}</label>
            {isTextField(field) ? (
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
            {conflict && (
              <p className="pending-mark" data-testid={`conflict-${field}`}>
                Changed on another tablet to “{current[field]}” while you were editing. Saving keeps yours.
              </p>
            )}
            {!conflict && elsewhere && (
              <p className="muted" data-testid={`edited-${field}`}>
                Last set on another tablet ({elsewhere.deviceName}) {timeAgo(elsewhere.at)}.
              </p>
            )}
          </div>
        );
      })}
      {saved && <output className="ok">Saved. Other tablets get it when they are online.</output>}
      <button type="submit">Save details</button>
    </form>
  );
}

const EMPTY_DETAILS: Record<ProductField, string> = {
  name: '',
  description: '',
  category: '',
  priceLabel: '',
  shelf: '',
  notes: '',
};
