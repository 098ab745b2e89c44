import { describe, expect, it } from 'vitest';
import { estimatedWaitMs, placeState } from '../../shared/waiting-room.ts';

const room = { opensAt: 1_000, soldOut: false };

describe('a place in the waiting line, as its customer is told', () => {
  it('is before_opening until T0, then waiting', () => {
    expect(placeState({ state: 'waiting' }, room, 999)).toBe('before_opening');
    expect(placeState({ state: 'waiting' }, room, 1_000)).toBe('waiting');
  });
  it('is your_turn while the ticket lasts, then expired, even before a step marks it', () => {
    expect(placeState({ state: 'admitted', expiresAt: 2_000 }, room, 1_999)).toBe('your_turn');
    expect(placeState({ state: 'admitted', expiresAt: 2_000 }, room, 2_000)).toBe('expired');
  });
  it('tells those still waiting, and only them, that every spot is taken', () => {
    const soldOut = { ...room, soldOut: true };
    expect(placeState({ state: 'waiting' }, soldOut, 1_500)).toBe('sold_out');
    expect(placeState({ state: 'used' }, soldOut, 1_500)).toBe('used');
    expect(placeState({ state: 'admitted', expiresAt: 2_000 }, soldOut, 1_500)).toBe('your_turn');
  });
  it('estimates the wait from the place and the rate', () => {
    expect(estimatedWaitMs(1, 60)).toBe(1_000);
    expect(estimatedWaitMs(300, 600)).toBe(30_000);
    expect(estimatedWaitMs(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
