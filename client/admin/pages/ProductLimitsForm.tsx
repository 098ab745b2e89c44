import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import {
  type HoldLimitView,
  MAX_HELD_AT_ONCE_CEILING,
  MAX_PER_HOLD_CEILING,
} from '../../../shared/api/hold-limits.ts';
import { type AdminApi, ApiError, describeFailure, newActionKey } from './admin-api.ts';
import { readLimit } from './limit-input.ts';
import { Notice } from './Notice.tsx';

type Field = 'maxPerHold' | 'maxHeldAtOnce';
type FieldErrors = Partial<Record<Field, string>>;

const units = (n: number) => (n === 1 ? '1 unit' : `${n.toLocaleString()} units`);

/** The limits in one sentence, as the customer's reserve page applies them. */
function describeLimits(limit: HoldLimitView): string {
  const perHold = `up to ${units(limit.maxPerHold)} per hold${limit.isDefault ? ' (the default)' : ''}`;
  const atOnce =
    limit.maxHeldAtOnce === undefined
      ? 'no cap on units held at once'
      : `${units(limit.maxHeldAtOnce)} held at once over every store`;
  return `${perHold}, ${atOnce}`;
}

/**
 * One product's launch-day limits (issue 10 §4), for every store: units one customer may
 * reserve in one hold, and units one customer may hold at once across stores.
 */
export function ProductLimitsForm({
  api,
  sku,
  name,
  onClose,
}: {
  api: AdminApi;
  sku: string;
  name: string;
  onClose: () => void;
}) {
  const id = useId();
  const firstField = useRef<HTMLInputElement>(null);
  const [limit, setLimit] = useState<HoldLimitView>();
  const [loadError, setLoadError] = useState<string>();
  const [form, setForm] = useState({ maxPerHold: '', maxHeldAtOnce: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const path = `/products/${encodeURIComponent(sku)}/hold-limit`;

  useEffect(() => {
    let current = true;
    api
      .get<HoldLimitView>(`/api${path}`)
      .then((body) => {
        if (!current) return;
        setLimit(body);
        setForm({
          maxPerHold: String(body.maxPerHold),
          maxHeldAtOnce: body.maxHeldAtOnce === undefined ? '' : String(body.maxHeldAtOnce),
        });
      })
      .catch((failure: unknown) => current && setLoadError(describeFailure(failure)))
      .finally(() => current && firstField.current?.focus());
    return () => {
      current = false;
    };
  }, [api, path]);

  /** The body to send, or the message for each field that is not right. */
  function check(): { body?: { maxPerHold: number; maxHeldAtOnce?: number }; found: FieldErrors } {
    const perHold = readLimit(form.maxPerHold, 1, MAX_PER_HOLD_CEILING);
    const atOnce =
      form.maxHeldAtOnce.trim() === ''
        ? undefined
        : readLimit(form.maxHeldAtOnce, 1, MAX_HELD_AT_ONCE_CEILING);
    const found: FieldErrors = {};
    if (!perHold.ok) found.maxPerHold = perHold.message;
    if (atOnce && !atOnce.ok) found.maxHeldAtOnce = atOnce.message;
    // A hold larger than the cap at once would always be refused: the two numbers contradict.
    else if (atOnce?.ok && perHold.ok && atOnce.value < perHold.value)
      found.maxHeldAtOnce = 'Must be at least the units per hold, or empty.';
    if (!perHold.ok || Object.keys(found).length > 0) return { found };
    return {
      body: { maxPerHold: perHold.value, ...(atOnce?.ok ? { maxHeldAtOnce: atOnce.value } : {}) },
      found,
    };
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setNotice(undefined);
    const { body: wanted, found } = check();
    setErrors(found);
    if (!wanted) {
      setNotice({ ok: false, text: 'Not saved: correct the marked fields.' });
      return;
    }
    setBusy(true);
    try {
      const { body } = await api.send<HoldLimitView>(
        'PUT',
        `/api/admin${path}`,
        wanted,
        newActionKey('hold-limit'),
      );
      setLimit(body);
      setNotice({ ok: true, text: `Saved: ${sku} allows ${describeLimits(body)}.` });
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(failure.fieldErrors());
      setNotice({ ok: false, text: `Not saved: ${describeFailure(failure)}` });
    } finally {
      setBusy(false);
    }
  }

  // The message sits beside the label, not in it, so the field's name stays its label.
  const numberField = (
    field: Field,
    label: string,
    max: number,
    ref?: RefObject<HTMLInputElement | null>,
  ) => (
    <div>
      <label>
        {label}
        <input
          ref={ref}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          value={form[field]}
          onChange={(e) => setForm({ ...form, [field]: e.target.value })}
          {...(errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${field}-error` } : {})}
        />
      </label>
      {errors[field] && (
        <span className="field-error" id={`${id}-${field}-error`}>
          {errors[field]}
        </span>
      )}
    </div>
  );

  return (
    <form className="stack limits-form" noValidate onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        Limits of {name} ({sku})
      </h3>
      <p className="muted">
        For every store, per customer (email or phone).{' '}
        {limit ? `Now: ${describeLimits(limit)}.` : loadError ? '' : 'Loading the limits…'}
      </p>
      {loadError && (
        <p className="error" role="alert">
          Could not load the limits of {sku}: {loadError}
        </p>
      )}
      <div className="form-grid">
        {numberField('maxPerHold', 'Units per hold', MAX_PER_HOLD_CEILING, firstField)}
        {numberField(
          'maxHeldAtOnce',
          'Units held at once, over every store (empty: no cap)',
          MAX_HELD_AT_ONCE_CEILING,
        )}
      </div>
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save limits'}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <Notice notice={notice} />
    </form>
  );
}
