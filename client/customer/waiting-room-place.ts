import { useEffect, useState } from 'react';
import { type WaitingPlace, waitingPlaceSchema } from '../../shared/api/waiting-room.ts';
import { CustomerError, followLive, getJson } from './api.ts';
import type { Contact } from './ContactFields.tsx';

/** A place in an event's line, kept in this browser: its token (the ticket) and the contact it was taken with. */
export interface SavedPlace {
  token: string;
  contact: Contact;
}

const storageKey = (eventId: string) => `holdfast.waiting-room.${eventId}`;

/** The place this browser took in the event's line, if any. */
export function readSavedPlace(eventId: string): SavedPlace | undefined {
  try {
    const raw = window.localStorage.getItem(storageKey(eventId));
    const saved = raw ? (JSON.parse(raw) as Partial<SavedPlace>) : undefined;
    return saved?.token && saved.contact ? { token: saved.token, contact: saved.contact } : undefined;
  } catch (error) {
    // Storage refused (private mode) or garbled: the customer joins again.
    if (error instanceof Error) return undefined;
    throw error;
  }
}

export function savePlace(eventId: string, place: SavedPlace): void {
  window.localStorage.setItem(storageKey(eventId), JSON.stringify(place));
}

export function forgetPlace(eventId: string): void {
  window.localStorage.removeItem(storageKey(eventId));
}

/** The place, live from the server (SSE); `missing` when the server knows no such place. */
export function useLivePlace(eventId: string, token: string | undefined) {
  const [place, setPlace] = useState<WaitingPlace>();
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (!token) return;
    setMissing(false);
    const path = `/api/events/${encodeURIComponent(eventId)}/waiting-room/place`;
    getJson(path, waitingPlaceSchema, token).then(setPlace, (error: unknown) => {
      if (error instanceof CustomerError && error.code === 'WAITING_ROOM_PLACE_NOT_FOUND') setMissing(true);
    });
    return followLive(
      `/api/live/events/${encodeURIComponent(eventId)}/waiting-room`,
      (event, data) => {
        if (event !== 'place') return;
        const parsed = waitingPlaceSchema.safeParse(JSON.parse(data));
        if (parsed.success) setPlace(parsed.data);
      },
      { token },
    );
  }, [eventId, token]);
  return { place, missing };
}
