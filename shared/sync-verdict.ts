/**
 * The sync-status page's verdicts (issue 7), as pure rules so the page can print them and the
 * tests can check them. A tablet is judged on what the server sees (its socket) and what it
 * reports (its outbox); a store on its tablets and on what customers are waiting for.
 */
export const TABLET_VERDICTS = ['in_sync', 'behind', 'offline', 'needs_attention', 'removed'] as const;
export type TabletVerdict = (typeof TABLET_VERDICTS)[number];
export const STORE_VERDICTS = ['in_sync', 'behind', 'no_tablet_connected', 'needs_attention'] as const;
export type StoreVerdict = (typeof STORE_VERDICTS)[number];

/** An outbox action waiting longer than this needs someone to look. */
export const STUCK_PENDING_MS = 15 * 60_000;
/** A tablet offline this long while it holds leased units needs someone to look. */
export const OFFLINE_WITH_LEASES_MS = 60 * 60_000;

/** The rules as the page prints them. */
export const VERDICT_RULES = [
  'In sync: connected, nothing pending, nothing refused.',
  'Behind: connected, with actions still being sent.',
  'Offline: no connection to any server instance (seen within the last 10 s counts as connected).',
  'Needs attention: refused actions, an action pending over 15 min, or offline over 1 h while holding leased units.',
  'Removed: revoked by an admin. A removed tablet with units not yet reported needs attention until it reports them or an admin settles them (Tablets page).',
  'A store needs attention when a tablet does, a customer’s hold or booking waits past the acknowledgement time, or a count found fewer units than promised.',
] as const;

export interface TabletFacts {
  revoked: boolean;
  connected: boolean;
  /** When the server last saw it disconnect (or stop answering), if it is offline. */
  offlineSince: number | undefined;
  pending: number;
  failed: number;
  oldestPendingAgeMs: number;
  leasedUnits: number;
}

export function tabletVerdict(t: TabletFacts, now: number): { verdict: TabletVerdict; reasons: string[] } {
  if (t.revoked) {
    // Issue 15 §1: its units stay out of available until someone says what became of them.
    if (t.leasedUnits > 0)
      return {
        verdict: 'needs_attention',
        reasons: [
          `removed by an admin with ${t.leasedUnits} ${t.leasedUnits === 1 ? 'unit' : 'units'} unreported: settle on the Tablets page`,
        ],
      };
    return { verdict: 'removed', reasons: ['removed by an admin'] };
  }
  const reasons: string[] = [];
  if (t.failed > 0) reasons.push(`${t.failed} refused ${t.failed === 1 ? 'action' : 'actions'}`);
  if (t.pending > 0 && t.oldestPendingAgeMs > STUCK_PENDING_MS) reasons.push('an action pending over 15 min');
  if (
    !t.connected &&
    t.leasedUnits > 0 &&
    t.offlineSince !== undefined &&
    now - t.offlineSince > OFFLINE_WITH_LEASES_MS
  )
    reasons.push(`offline over 1 h holding ${t.leasedUnits} leased units`);
  if (reasons.length > 0) return { verdict: 'needs_attention', reasons };
  if (!t.connected) return { verdict: 'offline', reasons: [] };
  if (t.pending > 0) return { verdict: 'behind', reasons: [`${t.pending} pending`] };
  return { verdict: 'in_sync', reasons: [] };
}

export function storeVerdict(
  tablets: TabletVerdict[],
  waiting: { unacknowledged: number; shortfalls: number },
): { verdict: StoreVerdict; reasons: string[] } {
  const reasons: string[] = [];
  const attention = tablets.filter((v) => v === 'needs_attention').length;
  if (attention > 0)
    reasons.push(`${attention} ${attention === 1 ? 'tablet needs' : 'tablets need'} attention`);
  if (waiting.unacknowledged > 0)
    reasons.push(`${waiting.unacknowledged} not acknowledged in time: customers are told to call`);
  if (waiting.shortfalls > 0)
    reasons.push(`${waiting.shortfalls} ${waiting.shortfalls === 1 ? 'product' : 'products'} short`);
  if (reasons.length > 0) return { verdict: 'needs_attention', reasons };
  const live = tablets.filter((v) => v !== 'removed');
  if (!live.some((v) => v === 'in_sync' || v === 'behind'))
    return { verdict: 'no_tablet_connected', reasons: ['no tablet connected'] };
  if (live.includes('behind')) return { verdict: 'behind', reasons: [] };
  return { verdict: 'in_sync', reasons: [] };
}
