import { useEffect, useState } from 'react';
import { type ListedSlot, listedSlotSchema, slotListSchema } from '../../shared/api/bookings.ts';
import { slotState } from '../../shared/slot-state.ts';
import { followLive, getJson } from './api.ts';
import { useNow } from './hooks.ts';

/**
 * An event's slots of the coming week with their remaining seats, kept live from the event's
 * stream; each slot's state is recomputed as time passes (a slot starts, a day opens).
 */
export function useLiveSlots(eventId: string): { slots?: ListedSlot[]; error?: string } {
  const [slots, setSlots] = useState<Map<string, ListedSlot>>();
  const [error, setError] = useState<string>();
  const now = useNow(5_000);
  useEffect(() => {
    let stop = () => {};
    const load = () =>
      getJson(`/api/events/${encodeURIComponent(eventId)}/slots`, slotListSchema).then(
        (list) => setSlots(new Map(list.slots.map((s) => [s.id, s]))),
        (e: Error) => setError(e.message),
      );
    // Follow first, then read: a change in between is applied twice, which is harmless.
    stop = followLive(
      `/api/live/events/${encodeURIComponent(eventId)}`,
      (event, data) => {
        if (event === 'reset') void load();
        if (event !== 'slot') return;
        const parsed = listedSlotSchema.safeParse(JSON.parse(data));
        if (!parsed.success) return;
        setSlots((current) => {
          const next = new Map(current);
          if (next.has(parsed.data.id)) next.set(parsed.data.id, parsed.data);
          return next;
        });
      },
      { onOpen: () => void load() },
    );
    return () => stop();
  }, [eventId]);
  if (!slots) return error ? { error } : {};
  return {
    slots: [...slots.values()].map((s) => ({ ...s, state: slotState(s, now) })),
    ...(error ? { error } : {}),
  };
}

export const SLOT_STATE_TEXT: Record<ListedSlot['state'], string> = {
  open: '',
  full: 'Full',
  started: 'Started',
  not_open: 'Not open yet',
};
