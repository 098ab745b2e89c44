import { type FormEvent, useState } from 'react';
import type { ActionOutcome, Tablet } from '../offline/tablet.ts';
import { describeOutcome } from './outcome.ts';

/** Staff take units onto this tablet before going where there is no signal (DESIGN rule 3). */
export function KeepForOffline({
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
