import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the secret's bytes. */
export function signWebhook(secret: string, messageId: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The `webhook-id` of an entry for an endpoint: derived from the stream, the entry id and the
 * endpoint, so it is the same on every attempt and every instance (receivers drop duplicates).
 */
export function webhookMessageId(stream: string, entryId: string, endpointId: string): string {
  const digest = createHash('sha256').update(`${stream}\n${entryId}\n${endpointId}`).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}
