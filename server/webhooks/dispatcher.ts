import { matchesEventFilters } from '../../shared/api/webhooks.ts';
import { typeNameOf } from '../../shared/audit-events.ts';
import { zoneOffsetMs } from '../../shared/time.ts';
import type { AuditEntry } from '../audit/streams.ts';
import type { StreamConsumer } from '../consumers/consumer.ts';
import type { Deps } from '../deps.ts';
import { auditStreams } from '../ledger/archiver.ts';
import type { LedgerDb } from '../ledger/db.ts';
import { listStores } from '../stores/stores.ts';
import { webhookMessageId } from './sign.ts';

/** The dispatcher's consumer group on every audit stream. */
export const WEBHOOK_DISPATCHER_GROUP = 'webhooks';

/** What a receiver gets: the typed event, when it happened in the store's own time, and its place in the stream. */
export interface WebhookPayload {
  type: string;
  /** When the event happened (UTC, ISO 8601). */
  timestamp: string;
  /** The stream entry's id (`<ms>-<seq>`): orders a store's events. */
  sequence: string;
  stream: string;
  storeId: string | null;
  /** The same instant in the store's zone, with its offset, e.g. `2026-12-07T16:03:12-10:00`. */
  storeLocalTime: string | null;
  timeZone: string | null;
  data: AuditEntry;
}

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** An instant as wall-clock time in `timeZone`, ISO 8601 with the zone's offset. */
export function localIso(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMs(epochMs, timeZone);
  const wall = new Date(epochMs + offset).toISOString().slice(0, 19);
  const minutes = Math.round(offset / 60_000);
  return `${wall}${minutes < 0 ? '-' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

interface ActiveEndpoint {
  id: string;
  events: string[];
  created_at: Date;
}

/**
 * The dispatcher (issue 20 §1): each audit entry that an endpoint subscribes to becomes one
 * delivery of the durable queue, made once per (endpoint, entry) by the table's unique key
 * however often the entry is handed over. Disabled endpoints get nothing; paused ones queue.
 * An endpoint gets only entries written after it was registered.
 */
export function webhookDispatcher(deps: Deps, db: LedgerDb): StreamConsumer {
  return {
    name: WEBHOOK_DISPATCHER_GROUP,
    streams: auditStreams,
    async handle(stream, entries) {
      const { rows: endpoints } = await db.pool.query<ActiveEndpoint>(
        'SELECT id, events, created_at FROM webhook_endpoints WHERE disabled_at IS NULL',
      );
      if (endpoints.length === 0) return;
      const zones = new Map((await listStores(deps)).map((s) => [s.id, s.timeZone]));
      const columns: [string[], string[], string[], string[], string[], string[]] = [[], [], [], [], [], []];
      for (const entry of entries) {
        const type = typeNameOf(entry);
        const at = Number.isFinite(entry.at) && entry.at > 0 ? entry.at : Number(entry.id.split('-')[0]);
        for (const endpoint of endpoints) {
          if (at < endpoint.created_at.getTime()) continue;
          if (!matchesEventFilters(type, endpoint.events)) continue;
          const zone = entry.storeId === undefined ? undefined : zones.get(entry.storeId);
          const payload: WebhookPayload = {
            type,
            timestamp: new Date(at).toISOString(),
            sequence: entry.id,
            stream,
            storeId: entry.storeId ?? null,
            storeLocalTime: zone === undefined ? null : localIso(at, zone),
            timeZone: zone ?? null,
            data: entry,
          };
          columns[0].push(endpoint.id);
          columns[1].push(webhookMessageId(stream, entry.id, endpoint.id));
          columns[2].push(entry.id);
          columns[3].push(type);
          columns[4].push(JSON.stringify(payload));
          columns[5].push(stream);
        }
      }
      if (columns[0].length === 0) return;
      const now = new Date(deps.clock.now());
      const first = new Date(deps.clock.now() + (deps.config.webhookRetryScheduleMs[0] ?? 0));
      await db.pool.query(
        `INSERT INTO webhook_deliveries
           (endpoint_id, message_id, entry_id, event_type, payload, stream, next_attempt_at, created_at)
         SELECT e, m, i, t, p::jsonb, s, $7, $8
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(e, m, i, t, p, s)
         ON CONFLICT (endpoint_id, stream, entry_id) DO NOTHING`,
        [...columns, first, now],
      );
    },
  };
}
