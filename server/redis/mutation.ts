import type { Actor, Deps } from '../deps.ts';
import type { LuaScript, Outcome } from './lua-script.ts';

/** Who asked, under which idempotency key, for what (hashed): every mutation carries this. */
export interface MutationContext {
  idempotencyKey: string;
  payloadHash: string;
  actor: Actor;
}

/** The actor as recorded in audit events. */
export function actorJson(actor: Actor): string {
  return JSON.stringify(actor);
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
