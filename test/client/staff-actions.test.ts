import { describe, expect, it } from 'vitest';
import { ActionRunner } from '../../client/offline/action-runner.ts';
import type { Enrollment, LocalLease, OutboxEntry } from '../../client/offline/db.ts';
import { Outbox } from '../../client/offline/outbox.ts';
import { StaffActions } from '../../client/offline/staff-actions.ts';
import { StoreReadModel } from '../../client/offline/store-read-model.ts';
import { CHECKINS_MAP, type CheckinMark } from '../../shared/store-doc.ts';
import { manualTimers } from '../helpers/tablet-client.ts';
import { freshDb, scriptedSend, stockOf, writeScarce, Y } from './tablet-parts.ts';

const enrollment: Enrollment = {
  id: 'self',
  deviceId: 'dev-1',
  storeId: 'aiea',
  credential: 'c',
  deviceName: 'Counter',
  enrolledAt: 0,
};

function staff(options: { online: boolean; leases?: Record<string, LocalLease> }) {
  const db = freshDb('actions');
  const timers = manualTimers();
  const { send, seen } = scriptedSend([]);
  const outbox = new Outbox(db, send, timers.now);
  let pending: OutboxEntry[] = [];
  const refresh = async () => {
    pending = await outbox.pending();
  };
  const runner = new ActionRunner({
    outbox,
    timers,
    isOnline: () => options.online,
    refresh,
    onUnansweredRefusal() {},
  });
  const doc = new Y.Doc();
  writeScarce(doc, { 'stock:KIT': stockOf('KIT', 5) });
  const read = new StoreReadModel({
    doc: () => doc,
    docVersion: () => 0,
    pending: () => pending,
    leases: () => options.leases ?? {},
    now: timers.now,
  });
  const actions = new StaffActions({
    runner,
    read,
    isOnline: () => options.online,
    now: timers.now,
    enrollment: () => enrollment,
    doc: () => doc,
  });
  return { actions, outbox, seen, doc };
}

describe('staff actions', () => {
  it('sends each action as its command, in staff’s words, with what the screen showed', async () => {
    const { actions, seen } = staff({ online: true });
    await actions.remove('sale', 'KIT', 2);
    await actions.receive('KIT', 3);
    await actions.count('KIT', 7, 5, 'found a box');
    await actions.remove('write_off', 'KIT', 1, 'broken');
    await actions.keepForOffline('KIT', 2);
    expect(seen.map((e) => [e.command.name, e.label])).toEqual([
      ['stock.sell', 'Sell 2 × KIT'],
      ['stock.receive', 'Receive 3 × KIT'],
      ['stock.count', 'Count KIT: 7 on the shelf'],
      ['stock.write-off', 'Write off 1 × KIT'],
      ['lease.take', 'Keep 2 × KIT for offline selling'],
    ]);
    expect(seen[0]?.seenAvailable).toBe(5);
    expect(seen[4]?.leaseBy).toBe('staff');
  });

  it('offline, sells only inside the lease, as a lease report counted against it', async () => {
    const lease: LocalLease = { sku: 'KIT', quantity: 2, expiresAt: 10 * 60 * 60 * 1000, confirmedAt: 0 };
    const { actions, outbox } = staff({ online: false, leases: { KIT: lease } });
    expect(await actions.remove('sale', 'KIT', 2)).toEqual({ kind: 'queued', offline: true });
    expect(await actions.remove('sale', 'KIT', 1)).toMatchObject({ kind: 'not-allowed', remaining: 0 });
    const [queued] = await outbox.pending();
    expect(queued?.command.name).toBe('lease.report');
    expect(queued?.leaseUse).toEqual({ sku: 'KIT', quantity: 2 });
    expect(queued?.label).toBe('Sell 2 × KIT (offline, from this tablet’s allowance)');
  });

  it('gives back only what is left of the lease, and nothing when nothing is', async () => {
    const lease: LocalLease = { sku: 'KIT', quantity: 3, expiresAt: 10 * 60 * 60 * 1000, confirmedAt: 0 };
    const { actions, seen } = staff({ online: true, leases: { KIT: lease } });
    await actions.giveBack('KIT');
    expect(seen[0]?.command).toEqual({
      name: 'lease.report',
      args: { sku: 'KIT', actions: [], returnQuantity: 3 },
    });
    expect(await actions.giveBack('NONE')).toEqual({ kind: 'done' });
  });

  it('marks a check-in in the document at once and queues its command', async () => {
    const { actions, outbox, doc } = staff({ online: false });
    await actions.markBooking('b1', 'checked_in', 'Check in Ana');
    expect(doc.getMap<CheckinMark>(CHECKINS_MAP).get('b1')).toMatchObject({
      status: 'checked_in',
      deviceId: 'dev-1',
    });
    const [queued] = await outbox.pending();
    expect(queued?.command).toEqual({ name: 'booking.step', args: { bookingId: 'b1', step: 'check-in' } });
    expect(queued?.label).toBe('Check in Ana');
  });
});
