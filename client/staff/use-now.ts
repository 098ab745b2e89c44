import { useEffect, useState } from 'react';

/**
 * The current time, ticking: relative times ("synced 35 s ago") stay true while nothing else
 * changes on screen (issue 15 §7). Every view that says "ago" reads it.
 */
export function useNow(intervalMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
