import type { Context } from 'hono';
import type { AppEnv } from '../deps.ts';
import type { Outcome } from '../redis/lua-script.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { AppError } from './errors.ts';
import { payloadHash, requireIdempotencyKey } from './idempotency.ts';

/** Reads the Idempotency-Key header and fingerprints the request for replay detection. */
export function mutationContext(
  c: Context<AppEnv>,
  operation: string,
  target: string,
  body: unknown,
): MutationContext {
  const idempotencyKey = requireIdempotencyKey(c);
  const actor = c.get('actor');
  return { idempotencyKey, payloadHash: payloadHash(operation, target, body, actor), actor };
}

/**
 * Says that the answer repeats the first one for its idempotency key: in a header for the
 * client, and on the context for the middleware after the route (admin/metrics.ts countAnswers,
 * which would otherwise have to build the answer's headers to read it).
 */
export function markReplayed(c: Context<AppEnv>): void {
  c.header('Idempotent-Replayed', 'true');
  c.set('replayed', true);
}

/**
 * A script's outcome as a route's reply: the body on success; a refusal is thrown as its
 * `AppError` (written as `{ code, message, details? }`). A replay says so in a header either way.
 */
export function replyWith<T>(c: Context<AppEnv>, outcome: Outcome<T>): T {
  if (outcome.replayed) markReplayed(c);
  if (!outcome.ok) throw new AppError(outcome.code, outcome.details);
  return outcome.body;
}
