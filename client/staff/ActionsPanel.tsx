import type { OutboxEntry } from '../offline/db.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';

/** What is waiting to reach the server, and what the server refused (with what to do about it). */
export function ActionsPanel({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  return (
    <section className="stack">
      <h2>Needs your attention</h2>
      {snapshot.failed.length === 0 ? (
        <p className="muted">Nothing was refused.</p>
      ) : (
        <ul className="list">
          {snapshot.failed.map((entry) => (
            <li key={entry.seq} className="card failed" data-testid="failed-action">
              <strong>{entry.label}</strong>
              <p>{entry.error?.message}</p>
              <p className="muted">{adviceFor(entry)}</p>
              <div className="row">
                <button type="button" onClick={() => void tablet.retryFailed(entry.seq ?? -1)}>
                  Try again
                </button>
                <button type="button" onClick={() => void tablet.dismissFailed(entry.seq ?? -1)}>
                  Dismiss
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="muted" data-testid="app-version">
        App version {__APP_VERSION__}
      </p>
      <h2>Waiting to sync ({snapshot.pending.length})</h2>
      {snapshot.pending.length === 0 ? (
        <p className="muted">Everything this tablet did has reached the server.</p>
      ) : (
        <ol className="list">
          {snapshot.pending.map((entry) => (
            <li key={entry.seq} data-testid="pending-action">
              {entry.label} <span className="muted">— {timeAgo(entry.createdAt)}</span>
              {entry.error && <span className="muted"> (last try: {entry.error.message})</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function adviceFor(entry: OutboxEntry): string {
  switch (entry.error?.code) {
    case 'SOLD_OUT':
      return 'The units were taken by someone else. Check the shelf and count the product, or tell the customer.';
    case 'HOLD_EXPIRED':
      return 'The customer’s hold ran out before it was confirmed. Ask them to reserve again.';
    case 'INVALID_TRANSITION':
      return 'Another tablet or the customer changed this first. Check the pickup queue.';
    case 'LEASE_EXCEEDED':
      return 'This tablet sold more than it was allowed offline. Count the product so the numbers are right.';
    default:
      return 'Try again, or dismiss it if it no longer matters.';
  }
}
