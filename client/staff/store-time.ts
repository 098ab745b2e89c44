/**
 * Times a person reads on the tablet: the store's wall clock with its zone's short name
 * ("9:25 AM HST"), whatever the tablet's own zone. Without a zone yet (never online), the
 * tablet's own clock, labelled the same way so it is never taken for the store's.
 */
export function storeTime(at: number, timeZone: string | undefined): string {
  return new Date(at).toLocaleTimeString('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** The store's calendar day of `at`, in words: "Tuesday, December 8". */
export function storeDate(at: number, timeZone: string | undefined): string {
  return new Date(at).toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(timeZone ? { timeZone } : {}),
  });
}

/**
 * How long ago, in seconds under a minute: never "just now", which a tablet that has been
 * offline for a while must not say (issue 15 §7, issue 22 §2).
 */
export function secondsAgo(at: number | undefined, now: number): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `on ${new Date(at).toLocaleDateString('en-US')}`;
}
