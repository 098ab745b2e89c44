import { describe, expect, it } from 'vitest';
import { StoreReplay } from '../../server/ledger/rebuild.ts';
import { parseAuditEvent } from '../../shared/audit-events.ts';

const STREAM = '{st:aiea}:audit';
let seq = 0;
/** A stream entry as a script writes it: type, actor, at, data, v. */
function entry(type: string, data: Record<string, unknown>) {
  seq += 1;
  return parseAuditEvent(STREAM, [
    `1000-${seq}`,
    [
      'type',
      type,
      'actor',
      '{"role":"system"}',
      'at',
      String(1000 + seq),
      'data',
      JSON.stringify(data),
      'v',
      '2',
    ],
  ]);
}
const numbersAfter = (onHand: number, held: number, leased: number) => ({
  stockAfter: { onHand, held, leased },
});

describe('StoreReplay', () => {
  it('replays each kind of change the way the scripts make it, and agrees with the numbers they recorded', () => {
    const replay = new StoreReplay('aiea');
    const events = [
      entry('catalog.imported', {
        created: 1,
        updated: 0,
        products: [{ sku: 'KIT', created: true, onHand: 5, held: 0, leased: 0 }],
      }),
      entry('stock.receive', {
        sku: 'KIT',
        delta: 3,
        onHandBefore: 5,
        onHandAfter: 8,
        ...numbersAfter(8, 0, 0),
      }),
      entry('hold.created', {
        holdId: 'h1',
        sku: 'KIT',
        quantity: 2,
        heldBefore: 0,
        heldAfter: 2,
        availableAfter: 6,
        ...numbersAfter(8, 2, 0),
      }),
      entry('lease.taken', {
        deviceId: 'd1',
        sku: 'KIT',
        quantity: 3,
        leaseAfter: 3,
        expiresAt: 9,
        ...numbersAfter(8, 2, 3),
      }),
      entry('lease.sale', {
        deviceId: 'd1',
        sku: 'KIT',
        quantity: 1,
        fromLease: 1,
        actionId: 'a',
        actedAt: 1,
        ...numbersAfter(7, 2, 2),
      }),
      entry('stock.shortfall', { sku: 'KIT', shortfall: 1, ...numbersAfter(0, 0, 0) }),
      entry('hold.hand_over', {
        holdId: 'h1',
        sku: 'KIT',
        quantity: 2,
        statusBefore: 'picked',
        statusAfter: 'fulfilled',
        ...numbersAfter(5, 0, 2),
      }),
      entry('lease.settled', {
        deviceId: 'd1',
        sku: 'KIT',
        quantity: 2,
        decision: 'write_off',
        revokedAt: 1,
        ...numbersAfter(3, 0, 0),
      }),
    ];
    for (const e of events) replay.apply(e);
    expect(replay.products.get('KIT')).toMatchObject({
      numbers: { onHand: 3, held: 0, leased: 0 },
      firstDisagreeing: undefined,
      lastAgreed: { entryId: events.at(-1)?.id },
    });
    expect(replay.driftAgainst(new Map([['KIT', { onHand: 3, held: 0, leased: 0 }]]))).toEqual([]);
  });

  it('names the entry after which the numbers recorded stop following the replay', () => {
    const replay = new StoreReplay('aiea');
    const first = entry('stock.receive', {
      sku: 'KIT',
      delta: 4,
      onHandBefore: 0,
      onHandAfter: 4,
      ...numbersAfter(4, 0, 0),
    });
    // Someone set on hand to 10 by hand in between: the next entry was made from that.
    const second = entry('hold.created', {
      holdId: 'h',
      sku: 'KIT',
      quantity: 1,
      heldBefore: 0,
      heldAfter: 1,
      availableAfter: 9,
      ...numbersAfter(10, 1, 0),
    });
    replay.apply(first);
    replay.apply(second);
    const [drift] = replay.driftAgainst(new Map([['KIT', { onHand: 10, held: 1, leased: 0 }]]));
    expect(drift).toMatchObject({
      ledger: { onHand: 4, held: 1, leased: 0 },
      redis: { onHand: 10, held: 1, leased: 0 },
      disagreeAfter: { entryId: first.id, type: 'stock.receive' },
      firstDisagreeing: { entryId: second.id, recorded: { onHand: 10, held: 1, leased: 0 } },
    });
  });
});
