import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';
import { explainRefusal } from './refusal.ts';

/** What is waiting to reach the server, and what the server refused (with what to do about it). */
export function ActionsPanel({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  return (
    <section className="stack">
      <h2>Needs your attention</h2>
      {snapshot.failed.length === 0 ? (
        <p className="muted">Nothing was refused.</p>
      ) : (
        <ul className="list">
          {snapshot.failed.map((entry) => {
            const { text, advice } = explainRefusal(
              entry.error ?? { code: 'INTERNAL', message: '' },
              entry.seenAvailable,
            );
            return (
              <li key={entry.seq} className="card failed" data-testid="failed-action">
                <strong>{entry.label}</strong>
                <p>{text}</p>
                <p className="muted">{advice}</p>
                <div className="row">
                  <button type="button" onClick={() => void tablet.retryFailed(entry.seq ?? -1)}>
                    Try again
                  </button>
                  <button type="button" onClick={() => void tablet.dismissFailed(entry.seq ?? -1)}>
                    Dismiss
                  </button>
                </div>
              </li>
            );
          })}
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
