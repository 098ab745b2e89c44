import type { Clock } from '../../server/deps.ts';

/** A clock the test moves (DESIGN: no sleeps): pass it to startTestServer and advance it. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let at = start;
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}
