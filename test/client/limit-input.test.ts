import { describe, expect, it } from 'vitest';
import { readLimit } from '../../client/admin/pages/limit-input.ts';

describe('readLimit (the admin pages’ limit fields)', () => {
  it('reads a whole number within the bounds', () => {
    expect(readLimit(' 3 ', 1, 20)).toEqual({ ok: true, value: 3 });
    expect(readLimit('1', 1, 20)).toEqual({ ok: true, value: 1 });
    expect(readLimit('1000', 1, 1000)).toEqual({ ok: true, value: 1000 });
  });

  it('asks for a number when the field is empty', () => {
    expect(readLimit('  ', 1, 20)).toEqual({ ok: false, message: 'Enter a number.' });
  });

  it('names the bounds for a number outside them or not whole', () => {
    const message = 'Enter a whole number from 1 to 1,000.';
    for (const text of ['0', '1001', '2.5', 'two', '-1'])
      expect(readLimit(text, 1, 1000)).toEqual({ ok: false, message });
  });
});
