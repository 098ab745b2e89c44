import { describe, expect, it } from 'vitest';
import { closeFromAudit, type HoldLogRecord, updateHoldLog } from '../../client/offline/hold-log.ts';
import type { StaffHold } from '../../shared/api/holds.ts';
import { parseAuditEvent } from '../../shared/audit-events.ts';

const hold = (id: string, patch: Partial<StaffHold> = {}): StaffHold => ({
  id,
  storeId: 'aiea',
  sku: 'KIT',
  quantity: 1,
  status: 'confirmed',
  createdAt: 1,
  expiresAt: 1_000,
  customer: { name: `C ${id}` },
  ...patch,
});

describe('the hold log ("done today")', () => {
  it('records open holds, and closes those that left the queue as what is known', () => {
    const first = updateHoldLog([], [hold('a'), hold('b', { status: 'held' }), hold('c')], 10);
    expect(first.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    const closed = updateHoldLog(first, [], 2_000);
    expect(closed.map((r) => [r.id, r.closedAs, r.closedAt])).toEqual([
      ['a', 'closed', 2_000],
      ['b', 'expired', 1_000],
      ['c', 'closed', 2_000],
    ]);
    expect(updateHoldLog([...closed], [], 3_000)).toEqual([]);
  });

  it('learns from the audit log how a hold closed elsewhere', () => {
    const log: HoldLogRecord[] = [
      { id: 'a', hold: hold('a'), closedAs: 'closed', closedAt: 5 },
      { id: 'b', hold: hold('b'), closedAs: 'fulfilled', closedAt: 5 },
    ];
    const entry = (type: string, data: object) =>
      parseAuditEvent('{st:aiea}:audit', [
        '4-0',
        ['v', '2', 'type', type, 'actor', '{"role":"customer"}', 'at', '4', 'data', JSON.stringify(data)],
      ]);
    const cancel = { sku: 'KIT', quantity: 1, statusBefore: 'confirmed', statusAfter: 'cancelled' };
    // As the staff audit endpoint sends them: JSON of the parsed events.
    const wire = JSON.parse(
      JSON.stringify([
        entry('hold.cancel', { ...cancel, holdId: 'a' }),
        entry('hold.cancel', { ...cancel, holdId: 'b' }),
        entry('stock.receive', {}),
        { type: 'hold.cancel', data: { holdId: 'a' } },
      ]),
    ) as unknown[];
    const changed = closeFromAudit(log, wire);
    expect(changed).toEqual([{ id: 'a', hold: hold('a'), closedAs: 'cancelled', closedAt: 4 }]);
  });

  it('keeps a hold closed that the server still lists as open for a moment', () => {
    const closed: HoldLogRecord = { id: 'a', hold: hold('a'), closedAs: 'cancelled', closedAt: 5 };
    const changed = updateHoldLog([closed], [hold('a', { acknowledgedAt: 4 })], 6);
    expect(changed).toEqual([{ ...closed, hold: hold('a', { acknowledgedAt: 4 }) }]);
  });
});
