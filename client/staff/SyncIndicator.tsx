import type { TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';

/** The words the header uses for each state (issue 8.5): never "connecting" when offline. */
export function syncLabel(snapshot: Pick<TabletSnapshot, 'sync' | 'pending'>): string {
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
      return snapshot.pending.length > 0 ? 'Behind' : 'In sync';
  }
}

/** Always visible: the connection, how many actions wait or failed, when the store was last in sync. */
export function SyncIndicator({ snapshot, onOpen }: { snapshot: TabletSnapshot; onOpen: () => void }) {
  const { sync, pending, failed, lastSyncedAt } = snapshot;
  const behind = sync === 'synced' && pending.length > 0;
  return (
    <button type="button" className={`sync sync-${sync}`} onClick={onOpen} data-testid="sync-indicator">
      <span className="dot" aria-hidden="true" />
      <span
        data-testid="sync-state"
        className={sync === 'removed' ? 'badge badge-removed' : behind ? 'badge badge-behind' : undefined}
      >
        {syncLabel(snapshot)}
      </span>
      <span data-testid="pending-count">{pending.length} pending</span>
      {failed.length > 0 && (
        <span className="badge badge-failed" data-testid="failed-count">
          {failed.length} failed
        </span>
      )}
      <span className="muted" data-testid="last-synced">
        synced {timeAgo(lastSyncedAt)}
      </span>
      {(sync === 'loading' || sync === 'connecting') && (
        <progress className="sync-progress" aria-label="Reaching the server" />
      )}
    </button>
  );
}
