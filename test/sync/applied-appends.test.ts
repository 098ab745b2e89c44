import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppliedAppends } from '../../server/sync/applied-appends.ts';

describe('the appends a document copy holds', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('advances through appends that arrive in order and after a reload', () => {
    const applied = new AppliedAppends(() => Date.now());
    applied.reset(3);
    applied.mark(4);
    applied.mark(4);
    applied.mark(2);
    expect(applied.through).toBe(4);
    applied.reset(9);
    expect(applied.through).toBe(9);
    expect(applied.hasGapOlderThan(0)).toBe(false);
  });

  it('reports a gap only once it has stayed open longer than the limit', () => {
    const applied = new AppliedAppends(() => Date.now());
    applied.mark(1);
    applied.mark(3);
    expect(applied.through).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(applied.hasGapOlderThan(1_000)).toBe(false);
    // A later append does not restart the gap's clock.
    applied.mark(4);
    vi.advanceTimersByTime(1);
    expect(applied.hasGapOlderThan(1_000)).toBe(true);
  });

  it('closes a gap when the missing append arrives or a reload covers it', () => {
    const applied = new AppliedAppends(() => Date.now());
    applied.mark(2);
    vi.advanceTimersByTime(5_000);
    applied.mark(1);
    expect(applied.through).toBe(2);
    expect(applied.hasGapOlderThan(0)).toBe(false);
    applied.mark(5);
    vi.advanceTimersByTime(5_000);
    applied.reset(4);
    expect(applied.through).toBe(5);
    expect(applied.hasGapOlderThan(0)).toBe(false);
  });

  it('times gaps by the clock it is given', () => {
    let now = 0;
    const applied = new AppliedAppends(() => now);
    applied.mark(2);
    now = 999;
    expect(applied.hasGapOlderThan(1_000)).toBe(false);
    now = 1_001;
    expect(applied.hasGapOlderThan(1_000)).toBe(true);
  });
});
