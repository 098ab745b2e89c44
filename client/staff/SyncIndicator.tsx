import type { TabletSnapshot } from '../offline/tablet.ts';
import { timeAgo } from '../ui/format.ts';

const LABELS: Record<TabletSnapshot['sync'], string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  loading: 'Syncing…',
  synced: 'Online',
};

/** Always visible: online or not, how many actions wait, when the store was last in sync. */
export function SyncIndicator({ snapshot, onOpen }: { snapshot: TabletSnapshot; onOpen: () => void }) {
  const { sync, pending, failed, lastSyncedAt } = snapshot;
  return (
    <button
      type="button"
      className={`sync sync-${sync}`}
      onClick={onOpen}
      aria-label="Sync status"
      data-testid="sync-indicator"
    >
      <span className="dot" aria-hidden="true" />
      <span data-testid="sync-state">{LABELS[sync]}</span>
      <span data-testid="pending-count">{pending.length} pending</span>
      {failed.length > 0 && <span className="error">{failed.length} failed</span>}
      <span className="muted">synced {timeAgo(lastSyncedAt)}</span>
      {(sync === 'loading' || sync === 'connecting') && (
        <progress className="sync-progress" aria-label="Loading the store’s data" />
      )}
    </button>
  );
}
