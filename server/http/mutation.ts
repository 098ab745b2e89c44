import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Actor, AppEnv, Deps } from '../deps.ts';
import type { LuaScript, Outcome } from '../redis/lua-script.ts';
import { errorBody, HTTP_STATUS } from './errors.ts';
import { actorJson, payloadHash, requireIdempotencyKey } from './idempotency.ts';

/** Who asked, under which idempotency key, for what (hashed): every mutation carries this. */
export interface MutationContext {
  idempotencyKey: string;
  payloadHash: string;
  actor: Actor;
}

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
 * Runs a script that follows the prelude's mutating convention under one hash tag
 * (`prefix`): the idempotency record and audit stream live in that same tag.
 */
export function runMutation<T>(
  deps: Deps,
  script: LuaScript,
  prefix: string,
  ctx: MutationContext,
  args: readonly (string | number)[],
): Promise<Outcome<T>> {
  return script.decide<T>(
    deps.redis,
    [`${prefix}idem:${ctx.idempotencyKey}`, `${prefix}audit`],
    [ctx.payloadHash, deps.config.idempotencyTtlMs, actorJson(ctx.actor), prefix, ...args],
  );
}

/** Answers with the outcome: the rendered body on success, `{ code, message, details? }` otherwise. */
export function respondOutcome<T>(
  c: Context,
  outcome: Outcome<T>,
  successStatus: ContentfulStatusCode,
  render: (body: T) => unknown,
) {
  if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
  if (!outcome.ok) return c.json(errorBody(outcome.code, outcome.details), HTTP_STATUS[outcome.code]);
  return c.json(render(outcome.body) as object, successStatus);
}
