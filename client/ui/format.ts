import { dateInZone } from '../../shared/time.ts';

/** "just now", "4 min ago", "2 h ago", or a date: for "as of" and "last synced" labels. */
export function timeAgo(at: number | undefined, now: number = Date.now()): string {
  if (!at) return 'never';
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(at).toLocaleDateString();
}

export function clockTime(at: number, timeZone?: string): string {
  return new Date(at).toLocaleTimeString([], {
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  });
}

/*
 * Times a person reads in the admin console: always in a named zone and labelled ("9:25 AM
 * HST"), a store's zone for anything that happens at a store, this browser's zone (labelled
 * too) for what belongs to no store, such as the servers' health.
 */

/** The zone this browser runs in ("America/Los_Angeles"): for times tied to no store. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withDate: boolean, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}|${seconds}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat('en-US', {
      ...(withDate ? { weekday: 'short', month: 'short', day: 'numeric' } : {}),
      hour: 'numeric',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      timeZone,
      timeZoneName: 'short',
    });
    formatters.set(key, made);
  }
  return made;
}

export interface ZonedOptions {
  /** "9:25:07 AM HST": for logs where seconds tell events apart. */
  seconds?: boolean;
}

/** "9:25 AM HST": the time of day in `timeZone`, with the zone's name. */
export function zonedTime(at: number, timeZone: string, options: ZonedOptions = {}): string {
  return formatter(timeZone, false, options.seconds ?? false).format(at);
}

/** "Sat, Dec 12, 9:25 AM HST": the day and time in `timeZone`, with the zone's name. */
export function zonedDateTime(at: number, timeZone: string, options: ZonedOptions = {}): string {
  return formatter(timeZone, true, options.seconds ?? false).format(at);
}

/**
 * The time alone when `at` falls on the same day as `now` in `timeZone`, else with its day:
 * "9:25 AM HST" today, "Sat, Dec 12, 9:25 AM HST" another day.
 */
export function zonedMoment(at: number, now: number, timeZone: string, options: ZonedOptions = {}): string {
  return dateInZone(at, timeZone) === dateInZone(now, timeZone)
    ? zonedTime(at, timeZone, options)
    : zonedDateTime(at, timeZone, options);
}

/** "Sat, Dec 12" in `timeZone`: a day of a list grouped by day. */
export function zonedDay(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(at);
}

/** "Sat, Dec 12" for a calendar date (YYYY-MM-DD), whatever the browser's zone. */
export function calendarDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return zonedDay(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, 12), 'UTC');
}

/** "HST": the short name of `timeZone` at that instant (it changes with daylight saving). */
export function zoneName(timeZone: string, at: number = Date.now()): string {
  return (
    formatter(timeZone, false, false)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone
  );
}
