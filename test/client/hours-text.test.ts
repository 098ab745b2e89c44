import { describe, expect, it } from 'vitest';
import { formatRanges, parseRanges } from '../../client/admin/pages/hours-text.ts';

describe('the console’s one-line hours', () => {
  it('reads ranges as a person types them and writes them back the same', () => {
    expect(parseRanges('9:00-12:00, 13:00 - 21:00')).toEqual({
      ok: true,
      ranges: [
        { opens: '09:00', closes: '12:00' },
        { opens: '13:00', closes: '21:00' },
      ],
    });
    expect(formatRanges([{ opens: '09:00', closes: '21:00' }])).toBe('09:00-21:00');
    expect(parseRanges('')).toEqual({ ok: true, ranges: [] });
    expect(parseRanges('Closed')).toEqual({ ok: true, ranges: [] });
  });

  it('says what is wrong with a reversed, overlapping or unreadable range', () => {
    expect(parseRanges('21:00-09:00')).toMatchObject({
      ok: false,
      message: expect.stringContaining('open before'),
    });
    expect(parseRanges('09:00-13:00, 12:00-17:00')).toMatchObject({
      ok: false,
      message: expect.stringContaining('in order'),
    });
    expect(parseRanges('nine to five')).toMatchObject({
      ok: false,
      message: expect.stringContaining('nine to five'),
    });
  });
});
