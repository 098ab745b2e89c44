/**
 * Wall-clock math in a store's time zone, with Intl only (no DOM, no Node), so the server
 * and the tablet agree on when a day starts and when slots open.
 */

/**
 * 24 hours, for spans of elapsed time (expiries, look-ahead windows). Not a calendar day: on the
 * days the clocks change a day in the store's zone lasts 23 or 25 hours (`nextMidnight`).
 */
export const DAY_MS = 86_400_000;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** Milliseconds the zone is ahead of UTC at that instant (negative west of Greenwich). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` reads `date` (YYYY-MM-DD) `time` (HH:MM). */
export function zonedTimeToEpochMs(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const naive = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // Two passes settle the offset across a DST change (the second uses the offset at the guess).
  let guess = naive - zoneOffsetMs(naive, timeZone);
  guess = naive - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The calendar date (YYYY-MM-DD) in `timeZone` at that instant. */
export function dateInZone(epochMs: number, timeZone: string): string {
  const w = wallClockAt(epochMs, timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;
}

/** The wall-clock time (HH:MM) in `timeZone` at that instant. */
export function timeInZone(epochMs: number, timeZone: string): string {
  const w = wallClockAt(epochMs, timeZone);
  return `${pad2(w.hour)}:${pad2(w.minute)}`;
}

/** The date `days` after `date` (YYYY-MM-DD), calendar arithmetic only. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days));
  return t.toISOString().slice(0, 10);
}

/**
 * The first instant of the day after the one `epochMs` falls on, in `timeZone`: the next
 * midnight there, 23, 24 or 25 hours after the previous one.
 */
export function nextMidnight(epochMs: number, timeZone: string): number {
  return zonedTimeToEpochMs(addDays(dateInZone(epochMs, timeZone), 1), '00:00', timeZone);
}

/**
 * When booking opens for a slot on `slotDate`: midnight store time of the day before
 * (DESIGN: "the next day's slots open at midnight in the store's time zone").
 */
export function slotOpensAt(slotDate: string, timeZone: string): number {
  return zonedTimeToEpochMs(addDays(slotDate, -1), '00:00', timeZone);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
