import type { WebhookDelivery } from '../../shared/api/webhooks.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import { readEndpoint, webhookDb } from './endpoints.ts';

interface DeliveryRow {
  id: string;
  message_id: string;
  event_type: string;
  entry_id: string;
  time_zone: string | null;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: Date;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  attempt_log: {
    at: string;
    request_headers: Record<string, string>;
    status: number | null;
    response_excerpt: string;
    error: string | null;
    duration_ms: number;
  }[];
}

/** An endpoint's deliveries, newest first, each with every attempt (the delivery log). */
export async function listDeliveries(
  deps: Deps,
  endpointId: string,
  query: { status?: WebhookDelivery['status'] | undefined; limit: number; deliveryId?: string },
): Promise<WebhookDelivery[]> {
  await readEndpoint(deps, endpointId);
  const { rows } = await webhookDb(deps).pool.query<DeliveryRow>(
    `SELECT d.id::text, d.message_id, d.event_type, d.entry_id, d.payload->>'timeZone' AS time_zone, d.status, d.attempts, d.next_attempt_at,
            d.last_status, d.last_error, d.created_at,
            coalesce((SELECT json_agg(json_build_object(
                'at', a.at, 'request_headers', a.request_headers, 'status', a.status,
                'response_excerpt', a.response_excerpt, 'error', a.error, 'duration_ms', a.duration_ms)
              ORDER BY a.at, a.id) FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
       FROM webhook_deliveries d
      WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($4::bigint IS NULL OR d.id = $4)
      ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
    [endpointId, query.status ?? null, query.limit, query.deliveryId ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    messageId: row.message_id,
    eventType: row.event_type,
    sequence: row.entry_id,
    timeZone: row.time_zone,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    attemptLog: row.attempt_log.map((a) => ({
      at: new Date(a.at).toISOString(),
      requestHeaders: a.request_headers,
      status: a.status,
      responseExcerpt: a.response_excerpt,
      error: a.error,
      durationMs: a.duration_ms,
    })),
  }));
}

/**
 * Sends one delivery again now, with the same webhook-id (a receiver that has it drops it) and
 * a fresh retry schedule. A delivery still pending is simply made due now.
 */
export async function resendDelivery(
  deps: Deps,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  await readEndpoint(deps, endpointId);
  const { rowCount } = await webhookDb(deps).pool.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, finished_at = NULL
      WHERE id = $1 AND endpoint_id = $2`,
    [deliveryId, endpointId, new Date(deps.clock.now())],
  );
  if (!rowCount) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
  const [found] = await listDeliveries(deps, endpointId, { limit: 1, deliveryId });
  if (!found) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
  return found;
}

/** Every failed delivery of an endpoint made at or after `since`, due again now; returns how many. */
export async function resendFailedSince(deps: Deps, endpointId: string, since: string): Promise<number> {
  await readEndpoint(deps, endpointId);
  const { rowCount } = await webhookDb(deps).pool.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, finished_at = NULL
      WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2`,
    [endpointId, new Date(since), new Date(deps.clock.now())],
  );
  return rowCount ?? 0;
}
