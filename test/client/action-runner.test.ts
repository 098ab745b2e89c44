import { describe, expect, it } from 'vitest';
import { ActionRunner, ANSWER_WAIT_MS, refusalOf } from '../../client/offline/action-runner.ts';
import { Outbox } from '../../client/offline/outbox.ts';
import { manualTimers } from '../helpers/tablet-client.ts';
import { entry, freshDb, scriptedSend } from './tablet-parts.ts';

const sale = {
  command: { name: 'stock.sell', args: { sku: 'KIT', quantity: 2 } },
  label: 'Sell 2 × KIT',
} as const;

function runner(answers: Parameters<typeof scriptedSend>[0], online = true) {
  const db = freshDb('runner');
  const timers = manualTimers();
  const { send, seen } = scriptedSend(answers);
  const outbox = new Outbox(db, send, timers.now);
  let unanswered = 0;
  let refreshed = 0;
  const run = new ActionRunner({
    outbox,
    timers,
    isOnline: () => online,
    refresh: async () => {
      refreshed += 1;
    },
    onUnansweredRefusal: () => {
      unanswered += 1;
    },
  });
  return { run, outbox, timers, seen, counts: () => ({ unanswered, refreshed }) };
}

describe('the action runner (wait for an answer)', () => {
  it('online, answers done once the server accepted', async () => {
    const { run, outbox, seen } = runner([{ status: 200, body: {} }]);
    expect(await run.actAndWait(sale)).toEqual({ kind: 'done' });
    expect(seen.map((e) => e.label)).toEqual(['Sell 2 × KIT']);
    expect(await outbox.pending()).toEqual([]);
  });

  it('online, shows a refusal in place with the server’s words and does not keep it on the Sync tab', async () => {
    const refusal = { code: 'SOLD_OUT', message: 'Only 1 left.', details: { available: 1 } };
    const { run, outbox, counts } = runner([{ status: 409, body: refusal }]);
    const outcome = await run.actAndWait({ ...sale, seenAvailable: 3 });
    expect(outcome).toEqual({ kind: 'refused', ...refusal, seenAvailable: 3 });
    await expect.poll(() => outbox.failed()).toEqual([]);
    expect(counts().unanswered).toBe(0);
  });

  it('online with no answer in time, says queued (not offline) and keeps the action', async () => {
    const { run, outbox, timers } = runner(['never']);
    const answer = run.actAndWait(sale);
    await expect.poll(async () => (await outbox.pending()).length).toBe(1);
    timers.advance(ANSWER_WAIT_MS);
    expect(await answer).toEqual({ kind: 'queued', offline: false });
  });

  it('offline, queues without sending', async () => {
    const { run, outbox, seen } = runner([], false);
    expect(await run.actAndWait(sale)).toEqual({ kind: 'queued', offline: true });
    expect(seen).toEqual([]);
    expect((await outbox.pending()).map((e) => e.label)).toEqual(['Sell 2 × KIT']);
  });

  it('leaves a refusal nobody waited for on the Sync tab', async () => {
    const { run, outbox, counts } = runner([
      { status: 409, body: { code: 'SOLD_OUT', message: 'Sold out.' } },
    ]);
    await run.act(sale);
    await expect.poll(async () => (await outbox.failed()).length).toBe(1);
    expect(counts().unanswered).toBe(1);
  });

  it('says an unknown failure as INTERNAL with its standard words', () => {
    const outcome = refusalOf(entry({ state: 'failed', error: { code: 'NETWORK', message: 'x', at: 1 } }));
    expect(outcome).toMatchObject({ kind: 'refused', code: 'INTERNAL' });
  });
});
