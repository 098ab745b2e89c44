import { readProduct } from '../offline/store-doc.ts';
import type { Tablet, TabletSnapshot } from '../offline/tablet.ts';
import { explainRefusal } from './refusal.ts';
import { waitingCount } from './SyncIndicator.tsx';
import { secondsAgo } from './store-time.ts';
import { useNow } from './use-now.ts';

const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  description: 'description',
  category: 'category',
  priceLabel: 'price label',
  shelf: 'shelf location',
  notes: 'staff notes',
};

/**
 * What is waiting to reach the server (actions, and product details edited while not in
 * sync), and what the server refused, with what to do about it. "Needs your attention"
 * appears only when something does (issue 15 §7).
 */
export function ActionsPanel({ tablet, snapshot }: { tablet: Tablet; snapshot: TabletSnapshot }) {
  const now = useNow();
  const doc = tablet.document;
  const nameOf = (sku: string) => (doc && readProduct(doc, sku)?.name) || sku;
  const waiting = waitingCount(snapshot);
  return (
    <section className="stack">
      {snapshot.failed.length > 0 && (
        <>
          <h2>Needs your attention ({snapshot.failed.length})</h2>
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
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void tablet.dismissFailed(entry.seq ?? -1)}
                    >
                      Dismiss
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <h2>Waiting to sync ({waiting})</h2>
      {waiting === 0 ? (
        <p className="muted">Everything this tablet did has reached the server.</p>
      ) : (
        <ol className="list" aria-label="Waiting to sync">
          {snapshot.pending.map((entry) => (
            <li key={entry.seq} data-testid="pending-action">
              {entry.label} <span className="muted">— {secondsAgo(entry.createdAt, now)}</span>
              {entry.error && <span className="muted"> (last try: {entry.error.message})</span>}
            </li>
          ))}
          {snapshot.unsyncedEdits.map((edit) => (
            <li key={`${edit.sku}/${edit.field}`} data-testid="pending-action">
              {nameOf(edit.sku)}: {FIELD_WORDS[edit.field] ?? edit.field} changed{' '}
              <span className="muted">
                — {secondsAgo(edit.at, now)}; other tablets get it when this one is next in sync
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="muted" data-testid="app-version">
        App version {__APP_VERSION__}
      </p>
    </section>
  );
}
