import { isIP } from 'node:net';
import type { Deps } from '../deps.ts';
import type { LedgerDb } from '../ledger/db.ts';
import { isPublicAddress } from './address-guard.ts';
import { type AttemptResult, postWebhook } from './deliver.ts';
import { type EndpointRow, signingSecrets } from './endpoints.ts';
import { signWebhook } from './sign.ts';

/** A claimed delivery is someone else's to retry once this passes (its instance died mid-attempt). */
const CLAIM_LEASE_MS = 60_000;
/** The delivery log keeps this long (successes too). */
export const DELIVERY_LOG_KEEP_MS = 30 * 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface WebhookWorkerOptions {
  /** How often due deliveries are looked for. */
  pollMs?: number;
  /** Deliveries claimed per look. */
  batch?: number;
  /** How long a claim lasts before another instance may send the delivery (default a minute). */
  claimLeaseMs?: number;
}

interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  payload: unknown;
  attempts: number;
}

/**
 * Sends due deliveries (issue 20 §1). A delivery is claimed by moving its next attempt a
 * minute on, in one statement over rows locked FOR UPDATE SKIP LOCKED, so instances share the
 * queue and a delivery whose instance dies mid-attempt is sent again after that minute: at
 * least once, never lost. Each attempt is logged with its request headers and the answer.
 */
export function startWebhookWorker(
  deps: Deps,
  db: LedgerDb,
  onError: (error: unknown) => void,
  options: WebhookWorkerOptions = {},
): { stop(): Promise<void> } {
  const pollMs = options.pollMs ?? 1_000;
  let stopped = false;
  let lastPurge = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      for (;;) {
        if (stopped) return;
        const claimed = await claimDue(deps, db, options.batch ?? 20, options.claimLeaseMs ?? CLAIM_LEASE_MS);
        await Promise.all(claimed.map((d) => attempt(deps, db, d).catch(onError)));
        if (claimed.length === 0) break;
      }
      if (deps.clock.now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = deps.clock.now();
        await purgeOldDeliveries(deps, db);
      }
    } catch (error) {
      onError(error);
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, pollMs);
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function claimDue(
  deps: Deps,
  db: LedgerDb,
  batch: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  const { rows } = await db.pool.query<ClaimedDelivery>(
    `UPDATE webhook_deliveries d SET next_attempt_at = $2, attempts = d.attempts + 1
      WHERE d.id IN (
        SELECT w.id FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w.endpoint_id
         WHERE w.status = 'pending' AND w.next_attempt_at <= $1 AND NOT e.paused AND e.disabled_at IS NULL
         ORDER BY w.next_attempt_at, w.id
         LIMIT $3 FOR UPDATE OF w SKIP LOCKED)
      RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts`,
    [new Date(now), new Date(now + leaseMs), batch],
  );
  return rows;
}

/** One attempt of one claimed delivery, and what it leads to. */
async function attempt(deps: Deps, db: LedgerDb, delivery: ClaimedDelivery): Promise<void> {
  const { rows } = await db.pool.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1', [
    delivery.endpoint_id,
  ]);
  const endpoint = rows[0];
  if (!endpoint) return; // deleted meanwhile: its deliveries went with it
  const now = deps.clock.now();
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(now / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Holdfast-Webhooks/1',
    'webhook-id': delivery.message_id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signingSecrets(endpoint, now)
      .map((secret) => signWebhook(secret, delivery.message_id, timestamp, body))
      .join(' '),
  };
  const allowPrivate = deps.config.webhookAllowPrivateAddresses;
  const host = new URL(endpoint.url).hostname.replace(/^\[|\]$/g, '');
  const result: AttemptResult =
    !allowPrivate && isIP(host) !== 0 && !isPublicAddress(host)
      ? {
          status: null,
          retryAfterMs: null,
          responseExcerpt: '',
          error: `address refused: ${host} is loopback, private, link-local or metadata`,
          durationMs: 0,
        }
      : await postWebhook(endpoint.url, headers, body, { allowPrivate, now: () => deps.clock.now() });
  await recordOutcome(deps, db, endpoint, delivery, headers, result, now);
}

async function recordOutcome(
  deps: Deps,
  db: LedgerDb,
  endpoint: EndpointRow,
  delivery: ClaimedDelivery,
  headers: Record<string, string>,
  result: AttemptResult,
  at: number,
): Promise<void> {
  const now = deps.clock.now();
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  const gone = result.status === 410;
  const schedule = deps.config.webhookRetryScheduleMs;
  const wait = schedule[delivery.attempts];
  const honoured =
    (result.status === 429 || result.status === 503) && result.retryAfterMs !== null
      ? result.retryAfterMs
      : 0;
  const retry = !ok && !gone && wait !== undefined;
  const status = ok ? 'delivered' : retry ? 'pending' : 'failed';
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO webhook_attempts (delivery_id, at, request_headers, status, response_excerpt, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        delivery.id,
        new Date(at),
        JSON.stringify(headers),
        result.status,
        result.responseExcerpt,
        result.error,
        result.durationMs,
      ],
    );
    await client.query(
      `UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, last_status = $4, last_error = $5,
         finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE $6::timestamptz END
       WHERE id = $1 AND attempts = $7`,
      // A resend during this attempt reset the count: the resend's schedule stands.
      [
        delivery.id,
        status,
        new Date(now + Math.max(wait ?? 0, honoured)),
        result.status,
        result.error,
        new Date(now),
        delivery.attempts,
      ],
    );
    if (ok) {
      await client.query('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1', [endpoint.id]);
    } else if (gone) {
      await client.query(
        `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3 WHERE id = $1 AND disabled_at IS NULL`,
        [endpoint.id, new Date(now), 'The receiver answered 410 Gone.'],
      );
    } else {
      await client.query(
        `UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1`,
        [endpoint.id, new Date(at)],
      );
      await client.query(
        `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = $3
          WHERE id = $1 AND disabled_at IS NULL AND failing_since <= $4`,
        [
          endpoint.id,
          new Date(now),
          'Every delivery failed for 5 days.',
          new Date(now - deps.config.webhookDisableAfterMs),
        ],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Deliveries (and their attempts) older than the log keeps, once they are finished. */
export async function purgeOldDeliveries(deps: Deps, db: LedgerDb): Promise<number> {
  const { rowCount } = await db.pool.query(
    `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1`,
    [new Date(deps.clock.now() - DELIVERY_LOG_KEEP_MS)],
  );
  return rowCount ?? 0;
}
