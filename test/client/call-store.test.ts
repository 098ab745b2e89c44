import { describe, expect, it } from 'vitest';
import { BOOKING_SOON_MS, callAdvice, isStoreOpen } from '../../client/customer/call-store.ts';
import { zonedTimeToEpochMs } from '../../shared/time.ts';

const zone = 'Pacific/Honolulu';
const at = (time: string) => zonedTimeToEpochMs('2026-12-08', time, zone);

describe('asking a customer to call the store (issue 16 §3)', () => {
  it('knows the default hours, 9 AM to 9 PM store time', () => {
    expect(isStoreOpen(at('08:59'), zone)).toBe(false);
    expect(isStoreOpen(at('09:00'), zone)).toBe(true);
    expect(isStoreOpen(at('20:59'), zone)).toBe(true);
    expect(isStoreOpen(at('21:00'), zone)).toBe(false);
  });

  it('asks only for something confirmed, soon, while the store is open', () => {
    const now = at('10:00');
    expect(callAdvice({ confirmed: false, now, timeZone: zone })).toBe('not_confirmed');
    expect(callAdvice({ confirmed: true, now, timeZone: zone })).toBe('call');
    expect(callAdvice({ confirmed: true, now: at('22:00'), timeZone: zone })).toBe('store_closed');
    expect(callAdvice({ confirmed: true, startsAt: now + BOOKING_SOON_MS + 1, now, timeZone: zone })).toBe(
      'not_soon',
    );
    expect(callAdvice({ confirmed: true, startsAt: now + 30 * 60_000, now, timeZone: zone })).toBe('call');
  });
});
