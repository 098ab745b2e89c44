import type { TabletSnapshot } from '../offline/tablet.ts';
import { secondsAgo } from './store-time.ts';
import { useNow } from './use-now.ts';

/** Everything this tablet did that the server does not have yet: actions and detail edits. */
export function waitingCount(snapshot: Pick<TabletSnapshot, 'pending' | 'unsyncedEdits'>): number {
  return snapshot.pending.length + snapshot.unsyncedEdits.length;
}

/** The words the header uses for each state (issue 8.5): never "connecting" when offline. */
export function syncLabel(snapshot: Pick<TabletSnapshot, 'sync' | 'pending' | 'unsyncedEdits'>): string {
  switch (snapshot.sync) {
    case 'offline':
      return 'Offline';
    case 'connecting':
      return 'Connecting…';
    case 'loading':
      return 'Loading the store…';
    case 'removed':
      return 'Removed from the store';
    case 'synced':
      return waitingCount(snapshot) > 0 ? 'Behind' : 'In sync';
  }
}

/**
 * When the store's numbers on this tablet were last the server's: "just now" only while in
 * sync (the document follows the server live), else how long ago, the same words the
 * product page uses for its numbers (issue 15 §7).
 */
export function lastSyncedText(snapshot: Pick<TabletSnapshot, 'sync' | 'lastSyncedAt'>, now: number): string {
  return snapshot.sync === 'synced' ? 'just now' : secondsAgo(snapshot.lastSyncedAt, now);
}

/** Always visible: the connection, how many actions wait or failed, when the store was last in sync. */
export function SyncIndicator({ snapshot, onOpen }: { snapshot: TabletSnapshot; onOpen: () => void }) {
  const now = useNow();
  const { sync, failed } = snapshot;
  const waiting = waitingCount(snapshot);
  const behind = sync === 'synced' && waiting > 0;
  return (
    <button type="button" className={`sync sync-${sync}`} onClick={onOpen} data-testid="sync-indicator">
      <span className="dot" aria-hidden="true" />
      <span
        data-testid="sync-state"
        className={sync === 'removed' ? 'badge badge-removed' : behind ? 'badge badge-behind' : undefined}
      >
        {syncLabel(snapshot)}
      </span>
      <span data-testid="pending-count">{waiting} pending</span>
      {failed.length > 0 && (
        <span className="badge badge-failed" data-testid="failed-count">
          {failed.length} failed
        </span>
      )}
      <span className="muted" data-testid="last-synced">
        synced {lastSyncedText(snapshot, now)}
      </span>
      {(sync === 'loading' || sync === 'connecting') && (
        <progress className="sync-progress" aria-label="Reaching the server" />
      )}
    </button>
  );
}
