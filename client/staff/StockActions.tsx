import { type FormEvent, useRef, useState } from 'react';
import type { ActionOutcome, Tablet } from '../offline/tablet.ts';
import {
  COUNT_REASONS,
  type CountReason,
  countDifferenceText,
  countReasonText,
  isLargeDrop,
} from './count-check.ts';
import { describeOutcome, SAVED_OFFLINE_TEXT } from './outcome.ts';

type StockAction = 'receive' | 'count' | 'sale' | 'write_off';
type Message = { kind: 'ok' | 'error'; text: string };

const ACTIONS: [StockAction, string][] = [
  ['sale', 'Sell'],
  ['receive', 'Receive'],
  ['count', 'Count'],
  ['write_off', 'Write off'],
];

const DONE_TEXT: Record<Exclude<StockAction, 'count'>, (n: number) => string> = {
  sale: (n) => `Sold ${n}. The server confirmed it.`,
  receive: (n) => `Received ${n}. The server confirmed it.`,
  write_off: (n) => `Wrote off ${n}. The server confirmed it.`,
};

/**
 * Sell, receive, count or write off. A count starts empty beside the number expected, asks
 * why when the shelf differs, confirms a large drop and says the difference after (issue
 * 15 §3); after any change the units are cleared, so a second tap does not repeat it (§9).
 */
export function StockActions({
  tablet,
  sku,
  expected,
}: {
  tablet: Tablet;
  sku: string;
  /** On hand as this tablet sees it (the server's number with unsent changes on top). */
  expected: number | undefined;
}) {
  const [action, setAction] = useState<StockAction>('sale');
  const [amount, setAmount] = useState('1');
  const [reason, setReason] = useState('');
  const [countReason, setCountReason] = useState<CountReason>();
  const [otherReason, setOtherReason] = useState('');
  const [confirming, setConfirming] = useState<number>();
  const [busy, setBusy] = useState<'server' | 'tablet'>();
  const [message, setMessage] = useState<Message>();
  const amountInput = useRef<HTMLInputElement>(null);

  const typed = Number(amount);
  const counted =
    action === 'count' && amount !== '' && Number.isInteger(typed) && typed >= 0 ? typed : undefined;
  const differs = counted !== undefined && expected !== undefined && counted !== expected;

  const edit = (apply: () => void) => {
    apply();
    setMessage(undefined);
    setConfirming(undefined);
  };

  function perform(n: number): Promise<ActionOutcome> | string {
    if (action === 'receive') return tablet.receive(sku, n);
    if (action === 'count') {
      if (expected === undefined)
        return 'Counting needs the server’s last number first. Connect once, then count.';
      return tablet.count(sku, n, expected, countReasonText(countReason, otherReason));
    }
    return tablet.remove(action, sku, n, reason.trim() || undefined);
  }

  function doneText(n: number, outcome: ActionOutcome): Message {
    if (action !== 'count') return describeOutcome(outcome, DONE_TEXT[action](n));
    const difference = countDifferenceText(expected ?? n, n);
    if (outcome.kind === 'queued' && outcome.offline)
      return { kind: 'ok', text: `${SAVED_OFFLINE_TEXT} Count of ${n}: ${difference}.` };
    return describeOutcome(outcome, `Count of ${n} recorded: ${difference}. The server confirmed it.`);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(amount);
    if (amount === '' || !Number.isInteger(n) || n < (action === 'count' ? 0 : 1)) {
      setMessage({
        kind: 'error',
        text:
          action === 'count'
            ? 'Enter the number of units on the shelf (0 or more).'
            : 'Enter a whole number of at least 1.',
      });
      return;
    }
    if (action === 'count' && expected !== undefined && n !== expected) {
      if (!countReasonText(countReason, otherReason)) {
        setMessage({
          kind: 'error',
          text: `Choose why the count differs: ${countDifferenceText(expected, n)}.`,
        });
        return;
      }
      if (isLargeDrop(expected, n) && confirming !== n) {
        setConfirming(n);
        return;
      }
    }
    setConfirming(undefined);
    setBusy(tablet.isOnline() ? 'server' : 'tablet');
    setMessage(undefined);
    try {
      const outcome = await perform(n);
      if (typeof outcome === 'string') return setMessage({ kind: 'error', text: outcome });
      setMessage(doneText(n, outcome));
      if (outcome.kind === 'done' || outcome.kind === 'queued') {
        setAmount('');
        setCountReason(undefined);
        setOtherReason('');
      }
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Change stock">
      <fieldset className="row">
        <legend>Change stock</legend>
        {ACTIONS.map(([id, label]) => (
          <label key={id} className="choice">
            <input
              type="radio"
              name="stock-action"
              value={id}
              checked={action === id}
              onChange={() =>
                edit(() => {
                  setAction(id);
                  setAmount(id === 'count' ? '' : '1');
                })
              }
            />
            {label}
          </label>
        ))}
      </fieldset>
      {action === 'count' && (
        <p data-testid="count-expected">
          Expected on the shelf: <strong>{expected ?? 'not known yet'}</strong>
        </p>
      )}
      <label>
        {action === 'count' ? 'Units on the shelf' : 'Units'}
        <input
          ref={amountInput}
          type="number"
          inputMode="numeric"
          min={action === 'count' ? 0 : 1}
          value={amount}
          placeholder={action === 'count' ? 'Count the shelf, then type it' : ''}
          onChange={(e) => edit(() => setAmount(e.target.value))}
          data-testid="stock-amount"
        />
      </label>
      {action === 'count' && differs && expected !== undefined && counted !== undefined && (
        <fieldset className="stack" data-testid="count-reason">
          <legend>Why is it {countDifferenceText(expected, counted)}?</legend>
          <div className="row">
            {COUNT_REASONS.map((r) => (
              <label key={r} className="choice">
                <input
                  type="radio"
                  name="count-reason"
                  value={r}
                  checked={countReason === r}
                  onChange={() => edit(() => setCountReason(r))}
                />
                {r}
              </label>
            ))}
          </div>
          {countReason === 'Other' && (
            <label>
              What happened
              <input
                value={otherReason}
                maxLength={180}
                onChange={(e) => edit(() => setOtherReason(e.target.value))}
              />
            </label>
          )}
        </fieldset>
      )}
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
      {confirming !== undefined && expected !== undefined ? (
        <fieldset className="card confirm" data-testid="count-confirm">
          <legend>Record {confirming} on the shelf?</legend>
          <p>
            That is {countDifferenceText(expected, confirming)}. Check the shelf once more: this lowers the
            store’s stock at once.
          </p>
          <div className="row">
            <button type="submit">Yes, record {confirming}</button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setConfirming(undefined);
                amountInput.current?.focus();
              }}
            >
              Count again
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="submit" disabled={busy !== undefined}>
          {busy === 'server' ? 'Saving…' : 'Save'}
        </button>
      )}
      {busy === 'server' && <output className="muted">Waiting for the server’s answer…</output>}
      {message && (
        <p
          className={message.kind === 'error' ? 'error' : 'ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="stock-message"
        >
          {message.text}
        </p>
      )}
    </form>
  );
}
