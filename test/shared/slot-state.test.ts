import { describe, expect, it } from 'vitest';
import { slotState } from '../../shared/slot-state.ts';

const slot = { opensAt: 1_000, startsAt: 5_000, remaining: 3 };

describe('whether a slot can be booked now', () => {
  it('is open between its opening and its start while seats remain', () => {
    expect(slotState(slot, 1_000)).toBe('open');
    expect(slotState(slot, 4_999)).toBe('open');
  });
  it('is not open before midnight store time the day before', () => {
    expect(slotState(slot, 999)).toBe('not_open');
  });
  it('is full with no seat left, and started from its start time, whatever is left', () => {
    expect(slotState({ ...slot, remaining: 0 }, 2_000)).toBe('full');
    expect(slotState(slot, 5_000)).toBe('started');
    expect(slotState({ ...slot, remaining: 0 }, 6_000)).toBe('started');
  });
});
