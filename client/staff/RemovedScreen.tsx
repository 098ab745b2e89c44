import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';
import { EnrollForm } from './EnrollScreen.tsx';

/** Offers the unsent actions as a JSON file, so nothing staff did is lost with the tablet. */
function downloadUnsent(tablet: Tablet): void {
  const blob = new Blob([tablet.unsentExport()], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `holdfast-unsent-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * Issue 8.4: an admin removed this tablet. Say so at once, show what has not reached the
 * server, let staff keep it as a file, and enroll again (the queue is sent under the new enrollment).
 */
export function RemovedScreen({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  const unsent = [...snapshot.pending, ...snapshot.failed];
  return (
    <main className="removed-screen stack">
      <div className="alert" role="alert">
        <strong>This tablet was removed from the store by an admin.</strong>
      </div>
      <p>
        It can no longer send anything to the server. Nothing you did is deleted: it stays on this tablet, and
        it is sent once the tablet is enrolled again.
      </p>
      <h2>Not sent yet ({unsent.length})</h2>
      {unsent.length === 0 ? (
        <p className="muted">Everything this tablet did reached the server.</p>
      ) : (
        <>
          <ol className="list" aria-label="Not sent yet">
            {unsent.map((entry) => (
              <li key={entry.seq} data-testid="unsent-action">
                {entry.label} <span className="muted">— {timeAgo(entry.createdAt)}</span>
                {entry.state === 'failed' && entry.error ? (
                  <span className="error"> (refused: {entry.error.message})</span>
                ) : null}
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => downloadUnsent(tablet)}>
            Save unsent actions as a file
          </button>
        </>
      )}
      <h2>Enroll this tablet again</h2>
      <p>Ask an admin for a new enrollment code.</p>
      <EnrollForm
        onEnroll={(code, name) => tablet.enroll(code, name)}
        defaultName={snapshot.enrollment?.deviceName}
      />
    </main>
  );
}
