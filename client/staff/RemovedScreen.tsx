import type { OutboxEntry } from '../offline/db.ts';
import { isLeaseReport } from '../offline/revoked-tablet.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { EnrollForm } from './EnrollScreen.tsx';
import { secondsAgo, storeTime } from './store-time.ts';
import { useNow } from './use-now.ts';

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

function UnsentList({
  label,
  entries,
  now,
  timeZone,
}: {
  label: string;
  entries: OutboxEntry[];
  now: number;
  timeZone: string | undefined;
}) {
  return (
    <ol className="list" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.seq} data-testid="unsent-action">
          {entry.label}{' '}
          <span className="muted">
            — {storeTime(entry.createdAt, timeZone)} ({secondsAgo(entry.createdAt, now)})
          </span>
          {entry.state === 'failed' && entry.error ? (
            <span className="error"> Not taken: {entry.error.message}</span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** What the last delivery did, in a sentence. */
function deliveryText(delivery: TabletSnapshot['delivery']): string {
  if (delivery === undefined) return '';
  if (delivery === 'sending') return 'Sending the offline sales…';
  const parts: string[] = [];
  if (delivery.delivered > 0)
    parts.push(
      `${delivery.delivered} reached the server and ${delivery.delivered === 1 ? 'counts' : 'count'}.`,
    );
  if (delivery.refused > 0)
    parts.push(
      `${delivery.refused} not taken: tell an admin what happened to ${delivery.refused === 1 ? 'it' : 'them'}.`,
    );
  if (delivery.unreachable)
    parts.push('The server could not be reached: try again when this tablet is online.');
  return parts.length > 0 ? parts.join(' ') : 'Nothing left to send.';
}

/**
 * An admin removed this tablet (issue 8.4, issue 15 §1). It says so, and what is true now:
 * customers' details are erased; the offline sales and write-offs made before the removal can
 * still be sent (the server takes each once); other actions wait for a new enrollment or go to
 * an admin as a file; the units it kept wait for its report or an admin's decision.
 */
export function RemovedScreen({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  // Relative times tick (issue 15 §7): a removed tablet may stay on this screen for hours.
  const now = useNow();
  const unsent = [...snapshot.pending, ...snapshot.failed].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const sales = unsent.filter(isLeaseReport);
  const others = unsent.filter((e) => !isLeaseReport(e));
  const waitingSales = sales.filter((e) => e.state === 'pending').length;
  const timeZone = snapshot.store?.timeZone;
  const sending = snapshot.delivery === 'sending';
  return (
    <main className="removed-screen stack">
      <div className="alert" role="alert">
        <strong>This tablet was removed from the store by an admin.</strong>
      </div>
      <p>
        It no longer shows the store: customers’ names, emails and phone numbers were erased from it. What
        staff did here that the server has not taken is kept, below.
      </p>
      <section className="stack" aria-labelledby="removed-sales-heading">
        <h2 id="removed-sales-heading">Offline sales and write-offs ({sales.length})</h2>
        {sales.length === 0 ? (
          <p className="muted">None waiting: every offline sale of this tablet reached the server.</p>
        ) : (
          <>
            <p>
              Those made before the removal still count: this tablet may send them, and the server takes each
              once. The units it kept and did not sell wait for an admin to put them back on the shelf.
            </p>
            <UnsentList label="Offline sales not sent yet" entries={sales} now={now} timeZone={timeZone} />
            {waitingSales > 0 && (
              <button type="button" onClick={() => void tablet.deliverOfflineSales()} disabled={sending}>
                {sending ? 'Sending…' : 'Send offline sales now'}
              </button>
            )}
          </>
        )}
        <output className="muted" data-testid="delivery">
          {deliveryText(snapshot.delivery)}
        </output>
      </section>
      <section className="stack" aria-labelledby="removed-others-heading">
        <h2 id="removed-others-heading">Other actions not sent ({others.length})</h2>
        {others.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <>
            <p>They are sent once this tablet is enrolled again, or an admin can import them from a file.</p>
            <UnsentList label="Not sent yet" entries={others} now={now} timeZone={timeZone} />
          </>
        )}
      </section>
      {unsent.length > 0 && (
        <button type="button" className="secondary" onClick={() => downloadUnsent(tablet)}>
          Save unsent actions as a file
        </button>
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
