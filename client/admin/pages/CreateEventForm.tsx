import { type FormEvent, useState } from 'react';
import { addDays, dateInZone } from '../../../shared/time.ts';
import { type AdminApi, ApiError, describeFailure } from './admin-api.ts';
import type { StoreSummary } from './use-stores.ts';

/** "Launch night!" -> "launch-night": the id in links, made from the name until edited by hand. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** Tomorrow at the stores (the first store's day), not in the admin's own zone. */
function tomorrow(stores: StoreSummary[]): string {
  const zone = stores[0]?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return addDays(dateInZone(Date.now(), zone), 1);
}

interface Draft {
  name: string;
  id: string;
  idEdited: boolean;
  storeIds: string[];
  firstDate: string;
  days: string;
  dayStart: string;
  dayEnd: string;
  slotMinutes: string;
  capacity: string;
  perCustomerLimit: string;
}

/** Creates an event and its slots at the chosen stores, in each store's own time zone. */
export function CreateEventForm({
  api,
  stores,
  takenIds,
  onCreated,
  onCancel,
}: {
  api: AdminApi;
  stores: StoreSummary[];
  takenIds: Set<string>;
  /** `firstDate`: the first store-local day of the slots made, where their list opens. */
  onCreated: (eventId: string, message: string, firstDate: string) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>({
    name: '',
    id: '',
    idEdited: false,
    storeIds: stores.map((s) => s.id),
    firstDate: tomorrow(stores),
    days: '1',
    dayStart: '09:00',
    dayEnd: '17:00',
    slotMinutes: '30',
    capacity: '10',
    perCustomerLimit: '1',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Made by this form, its slots not yet: pressing Create again finishes it rather than refusing the id.
  const [createdId, setCreatedId] = useState<string>();
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(undefined);
    const found: Record<string, string> = {};
    if (takenIds.has(draft.id) && draft.id !== createdId)
      found.id = 'An event already has this id: choose another.';
    if (draft.storeIds.length === 0) found.storeIds = 'Choose at least one store.';
    if (draft.dayStart >= draft.dayEnd) found.dayEnd = 'Closing must be after opening.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api.send('POST', '/api/admin/events', {
        id: draft.id,
        name: draft.name,
        perCustomerLimit: Number(draft.perCustomerLimit),
      });
      setCreatedId(draft.id);
      const { body } = await api.send<{ slots: number }>('POST', `/api/admin/events/${draft.id}/slots`, {
        storeIds: draft.storeIds,
        firstDate: draft.firstDate,
        days: Number(draft.days),
        dayStart: draft.dayStart,
        dayEnd: draft.dayEnd,
        slotMinutes: Number(draft.slotMinutes),
        capacity: Number(draft.capacity),
      });
      onCreated(
        draft.id,
        `Created “${draft.name.trim()}”: ${body.slots} slots at ${draft.storeIds.length} ${
          draft.storeIds.length === 1 ? 'store' : 'stores'
        }.`,
        draft.firstDate,
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') setErrors(error.fieldErrors());
      setFailure(`${describeFailure(error)} Nothing typed is lost: correct it and press Create again.`);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (path: string) =>
    errors[path] ? (
      <span className="field-error" id={`err-${path}`}>
        {errors[path]}
      </span>
    ) : null;
  const described = (path: string) =>
    errors[path] ? { 'aria-describedby': `err-${path}`, 'aria-invalid': true } : {};

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-event-heading">
      <h2 id="new-event-heading">New event</h2>
      <div className="form-grid">
        <label>
          Name
          <input
            value={draft.name}
            onChange={(e) =>
              set(
                draft.idEdited
                  ? { name: e.target.value }
                  : { name: e.target.value, id: slugOf(e.target.value) },
              )
            }
            required
            maxLength={120}
            placeholder="Launch trade-in"
            {...described('name')}
          />
          {fieldError('name')}
        </label>
        <label>
          Event id (in links)
          <input
            value={draft.id}
            onChange={(e) => set({ id: e.target.value, idEdited: true })}
            required
            pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
            title="lowercase letters, digits and dashes"
            {...described('id')}
          />
          {fieldError('id')}
        </label>
        <label>
          First day
          <input
            type="date"
            value={draft.firstDate}
            onChange={(e) => set({ firstDate: e.target.value })}
            required
            {...described('firstDate')}
          />
          {fieldError('firstDate')}
        </label>
        <label>
          Days
          <input
            type="number"
            min={1}
            max={60}
            value={draft.days}
            onChange={(e) => set({ days: e.target.value })}
            required
            {...described('days')}
          />
          {fieldError('days')}
        </label>
        <label>
          Opens at (store time)
          <input
            type="time"
            value={draft.dayStart}
            onChange={(e) => set({ dayStart: e.target.value })}
            required
            {...described('dayStart')}
          />
          {fieldError('dayStart')}
        </label>
        <label>
          Closes at (store time)
          <input
            type="time"
            value={draft.dayEnd}
            onChange={(e) => set({ dayEnd: e.target.value })}
            required
            {...described('dayEnd')}
          />
          {fieldError('dayEnd')}
        </label>
        <label>
          Slot length (minutes)
          <input
            type="number"
            min={5}
            max={480}
            value={draft.slotMinutes}
            onChange={(e) => set({ slotMinutes: e.target.value })}
            required
            {...described('slotMinutes')}
          />
          {fieldError('slotMinutes')}
        </label>
        <label>
          Seats per slot
          <input
            type="number"
            min={1}
            max={100000}
            value={draft.capacity}
            onChange={(e) => set({ capacity: e.target.value })}
            required
            {...described('capacity')}
          />
          {fieldError('capacity')}
        </label>
        <label>
          Bookings per customer
          <input
            type="number"
            min={1}
            max={20}
            value={draft.perCustomerLimit}
            onChange={(e) => set({ perCustomerLimit: e.target.value })}
            required
            {...described('perCustomerLimit')}
          />
          {fieldError('perCustomerLimit')}
        </label>
      </div>
      <fieldset>
        <legend>Stores</legend>
        {stores.map((s) => (
          <label key={s.id} className="choice">
            <input
              type="checkbox"
              checked={draft.storeIds.includes(s.id)}
              onChange={(e) =>
                set({
                  storeIds: e.target.checked
                    ? [...draft.storeIds, s.id]
                    : draft.storeIds.filter((id) => id !== s.id),
                })
              }
            />
            {s.name}
          </label>
        ))}
        {fieldError('storeIds')}
      </fieldset>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create event and slots'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
