import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../client/offline/db.ts';
import {
  buildStatusReport,
  STATUS_HEARTBEAT_MS,
  type StatusInput,
  StatusReporter,
} from '../../client/offline/status-reporter.ts';
import { deviceStatusSchema } from '../../shared/api/status.ts';
import { manualTimers } from '../helpers/tablet-client.ts';

const entry = (seq: number, patch: Partial<OutboxEntry> = {}): OutboxEntry => ({
  seq,
  key: `k${seq}`,
  command: { name: 'stock.sell', args: { sku: 'KIT', quantity: 500 } },
  label: `Sell 500 × KIT (${seq})`,
  createdAt: 1_000 * seq,
  attempts: 0,
  nextAttemptAt: 0,
  state: 'pending',
  ...patch,
});

const input = (patch: Partial<StatusInput> = {}): StatusInput => ({
  appVersion: '0.1.0+test',
  pending: [],
  failed: [],
  lastSyncedAt: 5_000,
  connection: 'synced',
  ...patch,
});

describe('the status report', () => {
  it('carries the pending count, the oldest pending age, and each refused action with its reason', () => {
    const refused = entry(1, {
      state: 'failed',
      error: { code: 'SOLD_OUT', message: 'Not enough units are available.', at: 1_500 },
    });
    const report = buildStatusReport(input({ pending: [entry(2), entry(3)], failed: [refused] }), 10_000);
    expect(deviceStatusSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({
      pending: 2,
      failed: 1,
      oldestPendingAgeMs: 8_000,
      appVersion: '0.1.0+test',
      lastError: 'SOLD_OUT: Not enough units are available.',
      lastErrorAt: 1_500,
      connection: 'synced',
      failedActions: [
        {
          label: 'Sell 500 × KIT (1)',
          code: 'SOLD_OUT',
          message: 'Not enough units are available.',
          createdAt: 1_000,
          refusedAt: 1_500,
        },
      ],
    });
  });
});

describe('the status reporter', () => {
  function setup(connected = true) {
    const timers = manualTimers();
    const sent: number[] = [];
    let state = input();
    const reporter = new StatusReporter({
      timers,
      now: timers.now,
      read: () => state,
      send: async (report) => {
        sent.push(report.pending);
      },
      connected: () => connected,
    });
    reporter.start();
    return {
      timers,
      sent,
      reporter,
      set: (s: StatusInput) => {
        state = s;
      },
    };
  }

  it('reports a change within a second, once for a burst of changes', async () => {
    const { timers, sent, reporter, set } = setup();
    set(input({ pending: [entry(1)] }));
    reporter.changed();
    reporter.changed();
    timers.advance(999);
    await Promise.resolve();
    expect(sent).toEqual([1]);
  });

  it('does not resend an unchanged report before the heartbeat, then sends it anyway', async () => {
    const { timers, sent, reporter } = setup();
    reporter.changed();
    timers.advance(1_000);
    reporter.changed();
    timers.advance(1_000);
    await Promise.resolve();
    expect(sent).toEqual([0]);
    timers.advance(STATUS_HEARTBEAT_MS);
    await Promise.resolve();
    expect(sent).toEqual([0, 0]);
  });

  it('sends nothing while the tablet is not connected', async () => {
    const { timers, sent, reporter } = setup(false);
    reporter.changed();
    timers.advance(STATUS_HEARTBEAT_MS * 2);
    await Promise.resolve();
    expect(sent).toEqual([]);
  });

  it('still reports changes after its timers were stopped and it was started again (re-enrollment)', async () => {
    const { timers, sent, reporter, set } = setup();
    reporter.changed();
    timers.stopAll();
    reporter.start();
    set(input({ pending: [entry(1), entry(2)] }));
    reporter.changed();
    timers.advance(1_000);
    await Promise.resolve();
    expect(sent).toEqual([2]);
  });
});
