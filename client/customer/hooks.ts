import { useEffect, useState } from 'react';
import { type ListedStore as Store, storeListSchema } from '../../shared/api/stores.ts';
import { getJson } from './api.ts';

/** The current time, ticking every second (for countdowns). */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Loads once; `error` holds a sentence for the person. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { value?: T; error?: string; reload(): void } {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on.
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ value }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}

/** Every store, by id. */
export function useStores(): { stores?: Store[]; byId: Map<string, Store>; error?: string } {
  const { value, error } = useLoad(() => getJson('/api/stores', storeListSchema), []);
  const stores = value?.stores;
  return {
    ...(stores ? { stores } : {}),
    byId: new Map((stores ?? []).map((s) => [s.id, s])),
    ...(error ? { error } : {}),
  };
}

/** Where the customer is, if they let the browser say; undefined until then. */
export function useGeolocation(): {
  place?: { latitude: number; longitude: number };
  ask(): void;
  status: 'idle' | 'asking' | 'denied' | 'ok';
} {
  const [place, setPlace] = useState<{ latitude: number; longitude: number }>();
  const [status, setStatus] = useState<'idle' | 'asking' | 'denied' | 'ok'>('idle');
  return {
    ...(place ? { place } : {}),
    status,
    ask() {
      if (!('geolocation' in navigator)) {
        setStatus('denied');
        return;
      }
      setStatus('asking');
      navigator.geolocation.getCurrentPosition(
        (position) => {
          setPlace({ latitude: position.coords.latitude, longitude: position.coords.longitude });
          setStatus('ok');
        },
        () => setStatus('denied'),
        { timeout: 10_000 },
      );
    },
  };
}
