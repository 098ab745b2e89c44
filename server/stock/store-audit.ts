import { parseAuditEntry, type RawStreamEntry } from '../audit/streams.ts';
import type { Deps } from '../deps.ts';
import { storeKeys } from './keys.ts';

/** The newest entries of a store's audit stream, newest first, as typed events (shared/audit-events.ts). */
export async function readAudit(deps: Deps, storeId: string, limit: number) {
  const stream = storeKeys(storeId).audit;
  const entries = (await deps.redis.xrevrange(stream, '+', '-', 'COUNT', limit)) as RawStreamEntry[];
  return entries.map((entry) => parseAuditEntry(stream, entry));
}
