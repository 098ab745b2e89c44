import { describe, expect, it } from 'vitest';
import { callAdvice, isStoreOpen } from '../../client/customer/call-store.ts';
import { demoStoreHours } from '../../server/hours/demo-hours.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';

const HNL = 'Pacific/Honolulu';
const hours = demoStoreHours(2026);
const at = (date: string, time: string) => zonedTimeToEpochMs(date, time, HNL);

describe('asking for a call follows the store’s own hours when on record (issue 21)', () => {
  it('is closed on a holiday and on Sunday evening, open on a weekday evening', () => {
    expect(isStoreOpen(at('2026-11-26', '12:00'), HNL, hours)).toBe(false); // Thanksgiving
    expect(isStoreOpen(at('2026-11-29', '19:30'), HNL, hours)).toBe(false); // Sunday, 10 to 7
    expect(isStoreOpen(at('2026-11-25', '20:30'), HNL, hours)).toBe(true);
    // Without hours on record, the usual 9 to 9 still applies.
    expect(isStoreOpen(at('2026-11-26', '12:00'), HNL)).toBe(true);
  });

  it('does not ask to call a store closed for a holiday', () => {
    const now = at('2026-11-26', '12:00');
    expect(callAdvice({ confirmed: true, now, timeZone: HNL, hours })).toBe('store_closed');
    expect(callAdvice({ confirmed: true, now: at('2026-11-27', '12:00'), timeZone: HNL, hours })).toBe(
      'call',
    );
  });
});
