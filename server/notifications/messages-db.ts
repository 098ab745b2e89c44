import type pg from 'pg';

/** What a message is about and says; made once per `key`. */
export interface MessageDraft {
  /** `<hold or booking id>:<kind>:<revision>:<channel>`: the message's identity. */
  key: string;
  storeId: string;
  /** The hold or booking. */
  subjectId: string;
  kind: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  text: string;
  html?: string;
  ics?: string;
}

/**
 * Where a message is: made (waiting to go), sending (an attempt is under way), sent, failed
 * (retried with backoff), dead (retries used up; an admin may resend), unknown (an instance
 * died mid-send: it may or may not have gone), not_sent (no provider for its channel).
 */
export const MESSAGE_STATUSES = ['made', 'sending', 'sent', 'failed', 'dead', 'unknown', 'not_sent'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageRow {
  id: number;
  key: string;
  storeId: string;
  subjectId: string;
  kind: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  ics: string | null;
  status: MessageStatus;
  attempts: number;
  providerAnswer: string | null;
  madeAt: string;
  sentAt: string | null;
}

const SELECT = `SELECT id::int AS id, key, store_id AS "storeId", subject_id AS "subjectId", kind, channel,
  recipient, subject, body_text AS text, body_html AS html, ics, status, attempts,
  provider_answer AS "providerAnswer", made_at AS "madeAt", sent_at AS "sentAt" FROM messages`;

/** Records a message; returns its id when it is new, undefined when its key was made before. */
export async function recordMessage(pool: pg.Pool, d: MessageDraft): Promise<number | undefined> {
  const result = await pool.query<{ id: number }>(
    `INSERT INTO messages (key, store_id, subject_id, kind, channel, recipient, subject, body_text, body_html, ics)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING RETURNING id::int AS id`,
    [
      d.key,
      d.storeId,
      d.subjectId,
      d.kind,
      d.channel,
      d.recipient,
      d.subject,
      d.text,
      d.html ?? null,
      d.ics ?? null,
    ],
  );
  return result.rows[0]?.id;
}

export async function readMessage(pool: pg.Pool, id: number): Promise<MessageRow | undefined> {
  return (await pool.query<MessageRow>(`${SELECT} WHERE id = $1`, [id])).rows[0];
}

/**
 * Takes a message for one attempt: only a message waiting to go (made or failed) moves to
 * 'sending', so of two workers given the same job one sends and the other finds nothing.
 */
export async function claimForSending(pool: pg.Pool, id: number): Promise<MessageRow | undefined> {
  const result = await pool.query<{ id: number }>(
    `UPDATE messages SET status = 'sending', attempts = attempts + 1, sending_since = now(), updated_at = now()
     WHERE id = $1 AND status IN ('made', 'failed') RETURNING id::int AS id`,
    [id],
  );
  return result.rows[0] ? readMessage(pool, id) : undefined;
}

/** A message left in 'sending' by an instance that died: it may have gone; it is not sent again. */
export async function markStaleSendingUnknown(
  pool: pg.Pool,
  id: number,
  olderThanMs: number,
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE messages SET status = 'unknown', updated_at = now(),
       provider_answer = 'outcome unknown: the instance sending it stopped mid-send'
     WHERE id = $1 AND status = 'sending' AND sending_since < now() - make_interval(secs => $2::float8 / 1000)`,
    [id, olderThanMs],
  );
  return (result.rowCount ?? 0) > 0;
}

/** The outcome of an attempt, recorded only on the attempt that claimed it. */
export async function finishAttempt(
  pool: pg.Pool,
  id: number,
  status: Exclude<MessageStatus, 'made' | 'sending'>,
  providerAnswer: string,
): Promise<void> {
  await pool.query(
    `UPDATE messages SET status = $2, provider_answer = $3, updated_at = now(),
       sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
     WHERE id = $1 AND status = 'sending'`,
    [id, status, providerAnswer],
  );
}

/** An admin's resend: any message not under way goes again (a new attempt of the same row). */
export async function reopenForResend(pool: pg.Pool, id: number): Promise<boolean> {
  const result = await pool.query(
    `UPDATE messages SET status = 'made', updated_at = now() WHERE id = $1 AND status <> 'sending'`,
    [id],
  );
  return (result.rowCount ?? 0) > 0;
}

export interface MessageFilter {
  storeId?: string;
  kind?: string;
  status?: string;
  limit?: number;
}

/** The newest messages first, filtered by store, kind and status. */
export async function listMessages(pool: pg.Pool, f: MessageFilter): Promise<MessageRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['store_id', f.storeId],
    ['kind', f.kind],
    ['status', f.status],
  ] as const) {
    if (!value) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  params.push(Math.min(f.limit ?? 200, 1000));
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return (
    await pool.query<MessageRow>(`${SELECT} ${clause} ORDER BY id DESC LIMIT $${params.length}`, params)
  ).rows;
}

export async function readMessageByKey(pool: pg.Pool, key: string): Promise<MessageRow | undefined> {
  return (await pool.query<MessageRow>(`${SELECT} WHERE key = $1`, [key])).rows[0];
}

/** Invitations (.ics) made for a booking so far, by email: the next one's SEQUENCE. */
export async function invitationsSent(pool: pg.Pool, subjectId: string): Promise<number> {
  const result = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM messages WHERE subject_id = $1 AND channel = 'email' AND ics IS NOT NULL",
    [subjectId],
  );
  return result.rows[0]?.n ?? 0;
}
