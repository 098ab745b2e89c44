import { describe, expect, it } from 'vitest';
import { type Command, commandFromLegacyRequest, requestFor } from '../../client/offline/commands.ts';

const examples: [Command, string, unknown][] = [
  [{ name: 'stock.receive', args: { sku: 'KIT', quantity: 4 } }, '/stock/KIT/receive', { quantity: 4 }],
  [
    { name: 'stock.count', args: { sku: 'KIT', counted: 7, lastSeen: 9 } },
    '/stock/KIT/count',
    { counted: 7, lastSeen: 9 },
  ],
  [{ name: 'stock.sell', args: { sku: 'KIT', quantity: 2 } }, '/stock/KIT/sell', { quantity: 2 }],
  [
    { name: 'stock.write-off', args: { sku: 'KIT', quantity: 1, reason: 'Damaged' } },
    '/stock/KIT/write-off',
    { quantity: 1, reason: 'Damaged' },
  ],
  [{ name: 'lease.take', args: { sku: 'KIT', quantity: 3 } }, '/leases', { sku: 'KIT', quantity: 3 }],
  [
    {
      name: 'lease.report',
      args: {
        sku: 'KIT',
        actions: [{ id: 'a1b2c3d4e5', kind: 'sale', quantity: 1, at: 5 }],
        returnQuantity: 2,
      },
    },
    '/leases/KIT/report',
    { actions: [{ id: 'a1b2c3d4e5', kind: 'sale', quantity: 1, at: 5 }], returnQuantity: 2 },
  ],
  [{ name: 'hold.step', args: { holdId: 'h1', step: 'hand-over' } }, '/holds/h1/hand-over', undefined],
  [{ name: 'booking.step', args: { bookingId: 'b1', step: 'check-in' } }, '/bookings/b1/check-in', undefined],
];

describe('the command table', () => {
  it.each(examples)('maps %j to one staff request of the store', (command, path, body) => {
    const request = requestFor('aiea', command);
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/api/staff/aiea${path}`);
    expect(request.body).toEqual(body);
  });

  it('escapes path parts, so a sku cannot reach another route', () => {
    expect(requestFor('aiea', { name: 'stock.sell', args: { sku: 'A/B', quantity: 1 } }).path).toBe(
      '/api/staff/aiea/stock/A%2FB/sell',
    );
  });

  it.each(examples)('reads back %j as queued by the older app (method and path)', (command) => {
    const request = requestFor('aiea', command);
    expect(commandFromLegacyRequest(request.path, request.body)).toEqual(command);
  });

  it('gives nothing for a path it does not know', () => {
    expect(commandFromLegacyRequest('/api/admin/stores', {})).toBeUndefined();
  });
});
