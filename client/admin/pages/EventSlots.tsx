import { useCallback, useEffect, useState } from 'react';
import type { AdminSlotView, SlotDay } from '../../../shared/api/admin-controls.ts';
import { dateInZone } from '../../../shared/time.ts';
import { calendarDay, zonedDateTime, zonedTime } from '../../ui/format.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { Notice } from './Notice.tsx';
import { SelectField } from './SelectField.tsx';
import { SlotRow } from './SlotRow.tsx';
import { type StoreSummary, storeName } from './use-stores.ts';

/**
 * The day the list opens on: the one asked for (the first day of slots just created) if it
 * has slots, else the first day not over yet at every chosen store, else the last day.
 */
export function openingDay(days: SlotDay[], wanted: string | undefined, today: string): string {
  if (wanted && days.some((d) => d.date === wanted)) return wanted;
  return (days.find((d) => d.date >= today) ?? days.at(-1))?.date ?? '';
}

const plural = (n: number, one: string) => `${n.toLocaleString()} ${n === 1 ? one : `${one}s`}`;

/**
 * One event's slots, one store-local day at a time (a week of the demo event is 336 slots):
 * a day picker lists the days that have slots, with how many; per slot, seats booked, change
 * the seats, close or reopen, and who booked. Times are each store's own, labelled.
 */
export function EventSlots({
  api,
  eventId,
  stores,
  initialDate,
}: {
  api: AdminApi;
  eventId: string;
  stores: StoreSummary[];
  /** Open on this day (YYYY-MM-DD) if it has slots: the first day of slots just created. */
  initialDate?: string | undefined;
}) {
  const [storeId, setStoreId] = useState('');
  const [days, setDays] = useState<SlotDay[]>();
  const [date, setDate] = useState('');
  const [slots, setSlots] = useState<AdminSlotView[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const zoneOf = (id: string) => stores.find((s) => s.id === id)?.timeZone ?? 'UTC';

  const loadDays = useCallback(async () => {
    const query = storeId ? `?storeId=${encodeURIComponent(storeId)}` : '';
    try {
      const body = await api.get<{ days: SlotDay[] }>(`/api/admin/events/${eventId}/slot-days${query}`);
      // "Today" at the store whose day began last, so no store's remaining slots are skipped.
      const chosen = storeId ? stores.filter((s) => s.id === storeId) : stores;
      const today = chosen.map((s) => dateInZone(Date.now(), s.timeZone)).sort()[0] ?? '';
      setDays(body.days);
      setDate((current) => openingDay(body.days, current || initialDate, today));
      setError(undefined);
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }, [api, eventId, storeId, stores, initialDate]);

  useEffect(() => {
    setDays(undefined);
    void loadDays();
  }, [loadDays]);
  useEffect(() => {
    setSlots(undefined);
    if (!date) return;
    // Days picked in quick succession: only the last one's answer is shown.
    let current = true;
    const query = new URLSearchParams({ date });
    if (storeId) query.set('storeId', storeId);
    api.get<{ slots: AdminSlotView[] }>(`/api/admin/events/${eventId}/slots?${query}`).then(
      (body) => {
        if (!current) return;
        setSlots(body.slots);
        setError(undefined);
      },
      (failure: unknown) => current && setError(describeFailure(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, eventId, storeId, date]);

  const index = days?.findIndex((d) => d.date === date) ?? -1;
  const step = (by: number) => {
    const next = days?.[index + by];
    if (next) setDate(next.date);
  };
  const slotLabel = (slot: AdminSlotView) =>
    `${zonedDateTime(slot.startsAt, zoneOf(slot.storeId))} at ${storeName(stores, slot.storeId)}`;

  return (
    <section className="stack" aria-labelledby="slots-heading">
      <h2 id="slots-heading">Slots</h2>
      <div className="row wrap">
        <SelectField label="Store" value={storeId} onChange={setStoreId} inline>
          <option value="">All stores</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        {days && days.length > 0 && (
          <>
            <SelectField label="Day" value={date} onChange={setDate} inline>
              {days.map((d) => (
                <option key={d.date} value={d.date}>
                  {calendarDay(d.date)} ({plural(d.slots, 'slot')})
                </option>
              ))}
            </SelectField>
            <button type="button" className="secondary" disabled={index <= 0} onClick={() => step(-1)}>
              Previous day
            </button>
            <button
              type="button"
              className="secondary"
              disabled={index < 0 || index >= days.length - 1}
              onClick={() => step(1)}
            >
              Next day
            </button>
          </>
        )}
      </div>
      <Notice notice={notice} />
      {error && (
        <p className="error" role="alert">
          Could not load the slots: {error}
        </p>
      )}
      {(days === undefined || (date && slots === undefined)) && !error && (
        <p className="muted">Loading slots…</p>
      )}
      {days?.length === 0 && (
        <p className="muted">This event has no slots{storeId ? ` at ${storeName(stores, storeId)}` : ''}.</p>
      )}
      {slots && date && (
        <h3 id="slots-day-heading">
          {calendarDay(date)}: {plural(slots.length, 'slot')}
          {storeId ? ` at ${storeName(stores, storeId)}` : ''}
        </h3>
      )}
      {slots && slots.length > 0 && (
        <div className="table-scroll">
          <table className="grid responsive" aria-labelledby="slots-day-heading">
            <thead>
              <tr>
                <th scope="col">Starts (store time)</th>
                <th scope="col">Store</th>
                <th scope="col">Booked</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {slots.map((slot) => (
                <SlotRow
                  key={slot.id}
                  api={api}
                  slot={slot}
                  label={slotLabel(slot)}
                  time={zonedTime(slot.startsAt, zoneOf(slot.storeId))}
                  store={storeName(stores, slot.storeId)}
                  timeZone={zoneOf(slot.storeId)}
                  onDone={(text, changed) => {
                    setNotice({ ok: true, text });
                    setSlots((list) => list?.map((s) => (s.id === changed.id ? changed : s)));
                  }}
                  onFailed={(text) => setNotice({ ok: false, text })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
