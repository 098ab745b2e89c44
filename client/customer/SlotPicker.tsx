import { useState } from 'react';
import type { ListedSlot } from '../../shared/api/bookings.ts';
import type { Store } from '../../shared/api/stores.ts';
import { dateInZone } from '../../shared/time.ts';
import { useGeolocation } from './hooks.ts';
import { SLOT_STATE_TEXT } from './slots.ts';
import { distanceKm, shortDay, storeDay, storeTime, timeLeft } from './time.ts';

type Sort = 'next' | 'distance';

/** Slots grouped by store-local day ("2026-12-08"), days in order. */
export function slotsByDay(slots: readonly ListedSlot[], stores: Map<string, Store>) {
  const days = new Map<string, ListedSlot[]>();
  for (const slot of slots) {
    const day = dateInZone(slot.startsAt, stores.get(slot.storeId)?.timeZone ?? 'UTC');
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The day to show first: `wanted` if it has slots, else the first with an open slot, else the first. */
export function firstDay(days: ReturnType<typeof slotsByDay>, wanted?: string): string | undefined {
  if (wanted && days.some(([d]) => d === wanted)) return wanted;
  return days.find(([, list]) => list.some((s) => s.state === 'open'))?.[0] ?? days[0]?.[0];
}

/**
 * Choose a day, then a slot at one of the stores, each with its spots left, live: the one picker
 * for booking and for "Change the time" (issue 16 §6). Full, started and not-yet-open slots
 * cannot be chosen; a day not open yet says when it opens, with its date.
 */
export function SlotPicker({
  slots,
  byId,
  day,
  onDay,
  chosen,
  onChoose,
  now,
  current,
}: {
  slots: readonly ListedSlot[];
  byId: Map<string, Store>;
  day: string | undefined;
  onDay: (day: string) => void;
  chosen: string | undefined;
  onChoose: (slotId: string | undefined) => void;
  now: number;
  /** The booking's own slot, when moving it: shown, not choosable. */
  current?: string | undefined;
}) {
  const [sort, setSort] = useState<Sort>('next');
  const geo = useGeolocation();
  const days = slotsByDay(slots, byId);
  const shownDay = firstDay(days, day);
  const daySlots = days.find(([d]) => d === shownDay)?.[1] ?? [];
  const zoneOf = (storeId: string) => byId.get(storeId)?.timeZone ?? 'UTC';
  const storeIds = [...new Set(daySlots.map((s) => s.storeId))];
  const nextOpen = (storeId: string) =>
    daySlots.find((s) => s.storeId === storeId && s.state === 'open')?.startsAt ?? Number.POSITIVE_INFINITY;
  storeIds.sort((a, b) => {
    const sa = byId.get(a);
    const sb = byId.get(b);
    if (sort === 'distance' && geo.place && sa && sb)
      return distanceKm(geo.place, sa) - distanceKm(geo.place, sb);
    return nextOpen(a) - nextOpen(b);
  });
  const opensAt = daySlots.every((s) => s.state === 'not_open')
    ? Math.min(...daySlots.map((s) => s.opensAt))
    : undefined;
  const firstZone = zoneOf(daySlots[0]?.storeId ?? '');

  return (
    <div className="stack slot-picker">
      {days.length > 0 && (
        <fieldset className="stack">
          <legend>
            <h2>Day</h2>
          </legend>
          <div className="row wrap days">
            {days.map(([d, list]) => (
              <button
                key={d}
                type="button"
                aria-pressed={d === shownDay}
                onClick={() => {
                  onDay(d);
                  onChoose(undefined);
                }}
              >
                {shortDay(list[0]?.startsAt ?? 0, zoneOf(list[0]?.storeId ?? ''))}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      {opensAt !== undefined && daySlots[0] && (
        <p className="alert" aria-live="polite">
          This day opens {storeDay(opensAt, firstZone)} at {storeTime(opensAt, firstZone)} (
          {timeLeft(opensAt, now)} from now).
        </p>
      )}
      {daySlots.length > 0 && (
        <fieldset className="row wrap">
          <legend>Sort stores</legend>
          <label className="choice">
            <input type="radio" name="sort" checked={sort === 'next'} onChange={() => setSort('next')} /> Next
            availability
          </label>
          <label className="choice">
            <input
              type="radio"
              name="sort"
              checked={sort === 'distance'}
              onChange={() => {
                setSort('distance');
                if (!geo.place) geo.ask();
              }}
            />{' '}
            Closest location
          </label>
          {sort === 'distance' && geo.status === 'denied' && (
            <span className="muted">
              Your location is not available; stores stay in order of next availability.
            </span>
          )}
        </fieldset>
      )}
      {storeIds.map((storeId) => {
        const store = byId.get(storeId);
        return (
          <fieldset key={storeId} className="store-slots">
            <legend>
              {store?.name ?? storeId}
              <span className="muted"> · {store?.address}</span>
            </legend>
            <div className="slot-grid">
              {daySlots
                .filter((s) => s.storeId === storeId)
                .map((s) => {
                  const mine = s.id === current;
                  const label = `${storeTime(s.startsAt, zoneOf(storeId))}, ${
                    mine
                      ? 'your time now'
                      : s.state === 'open'
                        ? `${s.remaining} left`
                        : SLOT_STATE_TEXT[s.state]
                  }`;
                  return (
                    <label key={s.id} className={`slot ${mine ? 'mine' : s.state}`} data-testid="slot">
                      <input
                        type="radio"
                        name="slot"
                        value={s.id}
                        disabled={mine || s.state !== 'open'}
                        checked={chosen === s.id}
                        onChange={() => onChoose(s.id)}
                      />
                      <span>{label}</span>
                    </label>
                  );
                })}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}
