import { describe, expect, it } from 'vitest';
import { readScarcePlane, SCARCE_VERSION, scarceKeys } from '../../shared/scarce.ts';

const stock = { sku: 'KIT', onHand: 5, held: 1, leased: 1, available: 3, shortfall: 0, updatedAt: 1 };
const hold = {
  id: 'H1',
  storeId: 'aiea',
  sku: 'KIT',
  quantity: 1,
  status: 'held',
  createdAt: 1,
  expiresAt: 2,
  customer: { name: 'Ana', email: 'ana@example.com' },
};

describe('the scarce plane a tablet reads', () => {
  it('reads each kind of value under its own key', () => {
    const plane = readScarcePlane([
      [scarceKeys.version, SCARCE_VERSION],
      [scarceKeys.asOf, 42],
      [scarceKeys.stock('KIT'), stock],
      [scarceKeys.hold('H1'), hold],
    ]);
    expect(plane).toEqual({
      version: SCARCE_VERSION,
      asOf: 42,
      stock: { KIT: stock },
      holds: { H1: hold },
      bookings: {},
    });
  });

  it('leaves out a value that does not have its shape, and keys it does not know', () => {
    const plane = readScarcePlane([
      [scarceKeys.stock('BAD'), { sku: 'BAD', onHand: 'five' }],
      [scarceKeys.hold('H2'), { ...hold, id: 'H2', status: 'lost' }],
      ['holds', { H1: hold }],
    ]);
    expect(plane.stock).toEqual({});
    expect(plane.holds).toEqual({});
    expect(plane.version).toBeUndefined();
  });
});
