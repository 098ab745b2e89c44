import type { OpenRange } from '../../../shared/opening-hours.ts';
import { ApiError, describeFailure } from './admin-api.ts';

/** "09:00-12:00, 13:00-17:00" for the console's one-line-a-day grid; "" is closed. */
export function formatRanges(ranges: readonly OpenRange[]): string {
  return ranges.map((r) => `${r.opens}-${r.closes}`).join(', ');
}

/**
 * Reads what a person typed ("9:00-21:00", "09:00 - 12:00, 13:00-17:00", "closed" or nothing)
 * into ranges, or says what is wrong; the server's schema checks order and overlaps again.
 */
export function parseRanges(
  text: string,
): { ok: true; ranges: OpenRange[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '' || /^closed$/i.test(trimmed)) return { ok: true, ranges: [] };
  const ranges: OpenRange[] = [];
  for (const part of trimmed.split(',')) {
    const match = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part);
    if (!match) return { ok: false, message: `“${part.trim()}” is not a range like 09:00-17:00` };
    const [, h1 = '', m1 = '', h2 = '', m2 = ''] = match;
    const opens = `${h1.padStart(2, '0')}:${m1}`;
    const closes = `${h2.padStart(2, '0')}:${m2}`;
    if (opens >= closes)
      return { ok: false, message: `${opens}-${closes}: the store must open before it closes` };
    const last = ranges[ranges.length - 1];
    if (last && last.closes >= opens) return { ok: false, message: 'ranges must be in order and apart' };
    ranges.push({ opens, closes });
  }
  return { ok: true, ranges };
}

/** A refusal in words, with the first field the server named ("weekly.mon: opens must be before closes"). */
export function refusalText(failure: unknown): string {
  if (failure instanceof ApiError && failure.code === 'VALIDATION_FAILED') {
    const [first] = Object.entries(failure.fieldErrors());
    if (first) return `${first[0]}: ${first[1]}`;
  }
  return describeFailure(failure);
}
