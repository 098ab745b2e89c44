import { type FormEvent, useId, useState } from 'react';
import { type EventView, MAX_BOOKINGS_PER_CUSTOMER } from '../../../shared/api/bookings.ts';
import { type AdminApi, ApiError, describeFailure, newActionKey } from './admin-api.ts';
import { readLimit } from './limit-input.ts';
import { Notice } from './Notice.tsx';

const bookings = (n: number) => (n === 1 ? 'one booking' : `up to ${n} bookings`);

/**
 * How many active bookings one customer (email or phone) may hold for the event (issue 10 §4).
 * The current value comes from the event list the page already holds; a change applies to new
 * bookings, and bookings already made stay.
 */
export function BookingLimitControl({
  api,
  event,
  onSaved,
}: {
  api: AdminApi;
  event: EventView;
  onSaved: (event: EventView) => void;
}) {
  const id = useId();
  const [value, setValue] = useState(String(event.perCustomerLimit));
  const [fieldError, setFieldError] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setNotice(undefined);
    const read = readLimit(value, 1, MAX_BOOKINGS_PER_CUSTOMER);
    if (!read.ok) {
      setFieldError(read.message);
      setNotice({ ok: false, text: 'Not saved: correct the number of bookings.' });
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const { body } = await api.send<EventView>(
        'PUT',
        `/api/admin/events/${encodeURIComponent(event.id)}/booking-limit`,
        { perCustomerLimit: read.value },
        newActionKey('booking-limit'),
      );
      onSaved(body);
      setNotice({
        ok: true,
        text: `Saved: ${bookings(body.perCustomerLimit)} per customer for “${body.name}”. Bookings already made stay.`,
      });
    } catch (failure) {
      if (failure instanceof ApiError) setFieldError(failure.fieldErrors().perCustomerLimit);
      setNotice({ ok: false, text: `Not saved: ${describeFailure(failure)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="stack" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Bookings per customer</h2>
      <p className="muted" data-testid="booking-limit-now">
        Now: {bookings(event.perCustomerLimit)} per customer (email or phone) at a time, over every store.
      </p>
      <form className="row" noValidate onSubmit={save}>
        <label className="inline">
          Bookings one customer may hold
          <input
            className="seats-input"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_BOOKINGS_PER_CUSTOMER}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            {...(fieldError ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {})}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save bookings per customer'}
        </button>
        {fieldError && (
          <span className="field-error" id={`${id}-error`}>
            {fieldError}
          </span>
        )}
      </form>
      <Notice notice={notice} />
    </section>
  );
}
