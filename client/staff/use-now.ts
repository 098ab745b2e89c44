import { useEffect, useReducer } from 'react';

/**
 * The current time, read at every render and ticking: relative times ("synced 35 s ago")
 * stay true while nothing else changes on screen (issue 15 §7). Every view that says "ago"
 * reads it.
 */
export function useNow(intervalMs = 5_000): number {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return Date.now();
}
