import { randomBytes } from 'node:crypto';
import type { CreateWebhook, UpdateWebhook, Webhook, WebhookWithSecret } from '../../shared/api/webhooks.ts';
import { AppError } from '../app-error.ts';
import type { Deps } from '../deps.ts';
import type { LedgerDb } from '../ledger/db.ts';
import { refusedAddressOf } from './address-guard.ts';
import { newWebhookSecret } from './sign.ts';

/** How long the secret before a rotation still signs (both signatures are sent). */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** One row of webhook_endpoints. */
export interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  description: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  paused: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toWebhook(row: EndpointRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    paused: row.paused,
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    failingSince: iso(row.failing_since),
    previousSecretUntil: iso(row.previous_secret_until),
    createdAt: row.created_at.toISOString(),
  };
}

/** The ledger, or LEDGER_UNAVAILABLE: endpoints and deliveries live in Postgres. */
export function webhookDb(deps: Deps): LedgerDb {
  if (!deps.ledger) throw new AppError('LEDGER_UNAVAILABLE');
  return deps.ledger;
}

/** Refuses a URL whose host is or resolves to a private address, unless allowed by config. */
async function checkUrl(deps: Deps, url: string): Promise<void> {
  if (deps.config.webhookAllowPrivateAddresses) return;
  const host = new URL(url).hostname;
  const address = await refusedAddressOf(host).catch(() => undefined);
  if (address !== undefined) throw new AppError('WEBHOOK_ADDRESS_REFUSED', { address });
}

async function readRow(db: LedgerDb, id: string): Promise<EndpointRow> {
  const { rows } = await db.pool.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1', [id]);
  const row = rows[0];
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND');
  return row;
}

export async function createEndpoint(deps: Deps, request: CreateWebhook): Promise<WebhookWithSecret> {
  const db = webhookDb(deps);
  await checkUrl(deps, request.url);
  const id = `wh_${randomBytes(12).toString('base64url')}`;
  const now = new Date(deps.clock.now());
  const secret = newWebhookSecret();
  const { rows } = await db.pool.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
    [id, request.url, request.events, request.description, secret, now],
  );
  return { ...toWebhook(rows[0] as EndpointRow), secret };
}

export async function listEndpoints(deps: Deps): Promise<Webhook[]> {
  const { rows } = await webhookDb(deps).pool.query<EndpointRow>(
    'SELECT * FROM webhook_endpoints ORDER BY created_at, id',
  );
  return rows.map(toWebhook);
}

export async function readEndpoint(deps: Deps, id: string): Promise<Webhook> {
  return toWebhook(await readRow(webhookDb(deps), id));
}

export async function updateEndpoint(deps: Deps, id: string, change: UpdateWebhook): Promise<Webhook> {
  const db = webhookDb(deps);
  await readRow(db, id);
  if (change.url !== undefined) await checkUrl(deps, change.url);
  const { rows } = await db.pool.query<EndpointRow>(
    `UPDATE webhook_endpoints SET
       url = coalesce($2, url), events = coalesce($3, events), description = coalesce($4, description),
       paused = coalesce($5, paused),
       disabled_at = CASE WHEN $6 THEN NULL ELSE disabled_at END,
       disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
       failing_since = CASE WHEN $6 THEN NULL ELSE failing_since END,
       updated_at = $7
     WHERE id = $1 RETURNING *`,
    [
      id,
      change.url ?? null,
      change.events ?? null,
      change.description ?? null,
      change.paused ?? null,
      change.enabled === true,
      new Date(deps.clock.now()),
    ],
  );
  return toWebhook(rows[0] as EndpointRow);
}

export async function deleteEndpoint(deps: Deps, id: string): Promise<void> {
  const { rowCount } = await webhookDb(deps).pool.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
  if (!rowCount) throw new AppError('WEBHOOK_NOT_FOUND');
}

/** A new secret; the old one keeps signing (a second signature) for 24 hours. */
export async function rotateSecret(deps: Deps, id: string): Promise<WebhookWithSecret> {
  const db = webhookDb(deps);
  await readRow(db, id);
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const { rows } = await db.pool.query<EndpointRow>(
    `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $2, secret = $3, updated_at = $4
     WHERE id = $1 RETURNING *`,
    [id, new Date(now + ROTATION_OVERLAP_MS), secret, new Date(now)],
  );
  return { ...toWebhook(rows[0] as EndpointRow), secret };
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
export function signingSecrets(row: EndpointRow, now: number): string[] {
  const previous =
    row.previous_secret && row.previous_secret_until && row.previous_secret_until.getTime() > now
      ? [row.previous_secret]
      : [];
  return [row.secret, ...previous];
}
