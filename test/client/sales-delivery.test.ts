import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../client/offline/db.ts';
import { DELIVERY_RETRY_MS, type DeliveryState, SalesDelivery } from '../../client/offline/sales-delivery.ts';
import { manualTimers } from '../helpers/tablet-client.ts';
import { entry, freshDb, scriptedSend } from './tablet-parts.ts';

const offlineSale = (seq: number) =>
  entry({
    seq,
    key: `k${seq}`,
    command: {
      name: 'lease.report',
      args: { sku: 'KIT', returnQuantity: 0, actions: [{ id: `s${seq}`, kind: 'sale', quantity: 1, at: 1 }] },
    },
  });

async function removedTablet(answers: Parameters<typeof scriptedSend>[0]) {
  const db = freshDb('delivery');
  for (const e of [offlineSale(1), entry({ seq: 2, key: 'k2' }), offlineSale(3)]) await db.outbox.add(e);
  const timers = manualTimers();
  const { send, seen } = scriptedSend(answers);
  const state = { revoked: true, delivery: undefined as DeliveryState, pending: [] as OutboxEntry[] };
  const refresh = async () => {
    state.pending = await db.outbox.where('state').equals('pending').toArray();
  };
  await refresh();
  const delivery = new SalesDelivery({
    db,
    send,
    now: timers.now,
    timers,
    state: () => state,
    onDelivery: (d) => {
      state.delivery = d;
    },
    refresh,
  });
  return { db, delivery, seen, state, timers };
}

describe('a removed tablet’s offline sales', () => {
  it('sends only the offline sales, and says how many went and how many were refused', async () => {
    const { db, delivery, seen, state } = await removedTablet([
      { status: 200, body: {} },
      { status: 409, body: { code: 'SOLD_OUT', message: 'Too late.' } },
    ]);
    expect(await delivery.deliver()).toEqual({ delivered: 1, refused: 1, unreachable: false });
    expect(seen.map((e) => e.key)).toEqual(['k1', 'k3']);
    expect(state.delivery).toMatchObject({ delivered: 1, refused: 1 });
    expect((await db.outbox.toArray()).map((e) => [e.key, e.state])).toEqual([
      ['k2', 'pending'],
      ['k3', 'failed'],
    ]);
  });

  it('tries again on its timer while the server cannot be reached, and stops once none wait', async () => {
    const { delivery, seen, state, timers } = await removedTablet(['down']);
    delivery.keepDelivering();
    await expect.poll(() => state.delivery).toMatchObject({ unreachable: true });
    timers.advance(DELIVERY_RETRY_MS);
    await expect.poll(() => state.delivery).toMatchObject({ delivered: 2 });
    const sent = seen.length;
    timers.advance(DELIVERY_RETRY_MS);
    expect(seen.length).toBe(sent);
    delivery.stop();
  });
});
