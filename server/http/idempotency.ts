import { hash } from 'node:crypto';
import type { Context } from 'hono';
import type { Actor } from '../deps.ts';
import { AppError } from './errors.ts';

/** What an Idempotency-Key header may hold. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;

/** The Idempotency-Key header every mutating request carries (DESIGN rule 2). */
export function requireIdempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (key === undefined || key === '') throw new AppError('IDEMPOTENCY_KEY_MISSING');
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path: 'Idempotency-Key', message: '8 to 100 letters, digits or _ . : -' }],
    });
  }
  return key;
}

/**
 * What makes two requests "the same": the operation, its target, the parsed body and who
 * sent it. The same key with a different hash is refused with IDEMPOTENCY_KEY_REUSED.
 */
export function payloadHash(operation: string, target: string, body: unknown, actor: Actor): string {
  const who = actor.role === 'staff' ? `staff:${actor.deviceId}` : actor.role;
  return hash('sha256', JSON.stringify([operation, target, body, who]), 'base64url');
}
