/** Times in the store's zone, labelled, whatever the browser's zone: "10:30 AM HST". */
export function storeTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

/** "Tuesday, November 24" in the store's zone. */
export function storeDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone,
  }).format(at);
}

/** "4:59" or "1:02:03": what is left until `until`. */
export function countdown(until: number, now: number): string {
  const total = Math.max(0, Math.ceil((until - now) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** "Tue, Nov 24" in the store's zone. */
export function shortDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(at);
}

/** "4 days, 14 hours" beyond a day, else the countdown ("1:02:03"): how long until `until`. */
export function timeLeft(until: number, now: number): string {
  const hours = Math.floor(Math.max(0, until - now) / 3_600_000);
  if (hours < 24) return countdown(until, now);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  const dayText = `${days} ${days === 1 ? 'day' : 'days'}`;
  return rest === 0 ? dayText : `${dayText}, ${rest} ${rest === 1 ? 'hour' : 'hours'}`;
}
