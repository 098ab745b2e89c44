/**
 * A time a person reads on the console: in the store's zone, labelled ("Dec 8, 5:26 PM HST"),
 * as the store's staff and customers see it, whatever the admin's own zone (issue 15 §4).
 */
export function storeTime(at: number, timeZone: string | undefined): string {
  return new Date(at).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  });
}
