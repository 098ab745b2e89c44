import { useCallback, useEffect, useState } from 'react';
import {
  type AdminAuditEntry,
  type AdminAuditPage,
  adminAuditEntrySchema,
} from '../../../shared/api/admin-controls.ts';
import { type AdminApi, describeFailure } from './admin-api.ts';
import { type AuditFilters, auditQueryOf } from './audit-filters.ts';

const PAGE_SIZE = 100;

export type LiveState = 'connecting' | 'live' | 'off';

export interface AuditLog {
  entries: AdminAuditEntry[] | undefined;
  /** Where older entries go on; null at the start of the log. */
  cursor: string | null;
  scanned: number;
  loading: boolean;
  error: string | undefined;
  liveState: LiveState;
  /** Entries the live feed added since the filters were applied. */
  newCount: number;
  loadOlder(): void;
}

/**
 * The audit log under `filters`: the newest page, older pages on demand, and, while `live` and
 * the filters have no end time, new entries from the live feed, each parsed with the shared
 * schemas (an entry that does not parse is not shown).
 */
export function useAuditLog(api: AdminApi, filters: AuditFilters, live: boolean): AuditLog {
  const [entries, setEntries] = useState<AdminAuditEntry[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [scanned, setScanned] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [liveState, setLiveState] = useState<LiveState>('off');
  const [newCount, setNewCount] = useState(0);

  const fetchPage = useCallback(
    async (f: AuditFilters, after: string | null) => {
      setLoading(true);
      try {
        const q = auditQueryOf(f);
        q.set('limit', String(PAGE_SIZE));
        if (after) q.set('cursor', after);
        const page = await api.get<AdminAuditPage>(`/api/admin/audit?${q}`);
        setEntries((list) => (after ? [...(list ?? []), ...page.entries] : page.entries));
        setCursor(page.nextCursor);
        setScanned((n) => (after ? n + page.scanned : page.scanned));
        setError(undefined);
      } catch (failure) {
        setError(describeFailure(failure));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchPage(filters, null);
  }, [fetchPage, filters]);

  useEffect(() => {
    if (!live || filters.to) {
      setLiveState('off');
      return;
    }
    const q = auditQueryOf(filters);
    q.delete('from');
    q.delete('to');
    const controller = new AbortController();
    let readies = 0;
    setLiveState('connecting');
    setNewCount(0);
    api
      .events(
        `/api/admin/audit/live?${q}`,
        (event, data) => {
          if (event === 'ready') {
            setLiveState('live');
            // After a reconnect, entries written while away are read with the newest page.
            if (readies++ > 0) void fetchPage(filters, null);
            return;
          }
          if (event !== 'entry') return;
          const parsed = adminAuditEntrySchema.safeParse(JSON.parse(data));
          if (!parsed.success) return;
          const entry = parsed.data;
          setEntries((list) =>
            list?.some((e) => e.id === entry.id && e.source === entry.source)
              ? list
              : [entry, ...(list ?? [])],
          );
          setNewCount((n) => n + 1);
        },
        controller.signal,
      )
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setError(describeFailure(failure));
      });
    return () => controller.abort();
  }, [api, filters, live, fetchPage]);

  return {
    entries,
    cursor,
    scanned,
    loading,
    error,
    liveState,
    newCount,
    loadOlder: () => {
      if (cursor !== null) void fetchPage(filters, cursor);
    },
  };
}
