import {
  type DeviceStatus,
  type FailedAction,
  MAX_REPORTED_FAILURES,
  type TABLET_CONNECTIONS,
} from '../../shared/api/status.ts';
import type { OutboxEntry } from './db.ts';
import type { Timers } from './timers.ts';

/** A change is reported within this long (the admin page promises 3 s). */
export const STATUS_REPORT_DELAY_MS = 500;
/** Reported at least this often while connected, so the admin page sees the tablet is alive. */
export const STATUS_HEARTBEAT_MS = 30_000;

export interface StatusInput {
  appVersion: string;
  pending: OutboxEntry[];
  failed: OutboxEntry[];
  lastSyncedAt: number | undefined;
  connection: (typeof TABLET_CONNECTIONS)[number];
}

/** The report for the admin sync-status page (shared/api/status.ts), from what the tablet knows. */
export function buildStatusReport(input: StatusInput, now: number): DeviceStatus {
  const oldest = input.pending[0]?.createdAt;
  const errors = [...input.pending, ...input.failed]
    .map((e) => e.error)
    .filter((e) => e !== undefined)
    .sort((a, b) => a.at - b.at);
  const last = errors.at(-1);
  const failedActions: FailedAction[] = input.failed
    .slice(-MAX_REPORTED_FAILURES)
    .reverse()
    .map((e) => ({
      label: e.label.slice(0, 200),
      code: e.error?.code === 'NETWORK' || !e.error ? 'INTERNAL' : e.error.code,
      message: (e.error?.message ?? '').slice(0, 300),
      createdAt: e.createdAt,
      refusedAt: e.error?.at ?? e.createdAt,
    }));
  return {
    appVersion: input.appVersion.slice(0, 40),
    pending: input.pending.length,
    failed: input.failed.length,
    oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
    lastSyncedAt: input.lastSyncedAt ?? 0,
    failedActions,
    connection: input.connection,
    ...(last ? { lastError: `${last.code}: ${last.message}`.slice(0, 300), lastErrorAt: last.at } : {}),
  };
}

/**
 * Sends the tablet's status soon after each change and on a heartbeat, only while connected;
 * an unchanged report is not sent again before the heartbeat.
 */
export class StatusReporter {
  private cancelPending: (() => void) | undefined;
  private lastSent = '';
  private lastSentAt = 0;

  constructor(
    private readonly deps: {
      timers: Timers;
      now: () => number;
      read: () => StatusInput | undefined;
      send: (report: DeviceStatus) => Promise<void>;
      connected: () => boolean;
    },
  ) {}

  /** Starts the heartbeat; call again after the timers were stopped (a new enrollment). */
  start(): void {
    this.cancelPending = undefined;
    this.deps.timers.every(STATUS_HEARTBEAT_MS, () => void this.report(true));
  }

  /** Something a report shows changed: report it shortly (changes in a burst make one report). */
  changed(): void {
    if (this.cancelPending) return;
    this.cancelPending = this.deps.timers.after(STATUS_REPORT_DELAY_MS, () => {
      this.cancelPending = undefined;
      void this.report(false);
    });
  }

  async report(force: boolean): Promise<void> {
    const input = this.deps.read();
    if (!input || !this.deps.connected()) return;
    const report = buildStatusReport(input, this.deps.now());
    // Ages change every millisecond; compare the rest.
    const fingerprint = JSON.stringify({ ...report, oldestPendingAgeMs: 0 });
    if (!force && fingerprint === this.lastSent) return;
    this.lastSent = fingerprint;
    this.lastSentAt = this.deps.now();
    try {
      await this.deps.send(report);
    } catch (error) {
      this.lastSent = '';
      console.warn('could not report tablet status', error);
    }
  }

  /** When the last report went out (ms), for tests and the Sync screen. */
  get lastReportAt(): number {
    return this.lastSentAt;
  }
}
