import type { Actor, Deps } from '../deps.ts';

/** Who asked, under which idempotency key, for what (hashed): every mutation carries this. */
export interface MutationContext {
  idempotencyKey: string;
  payloadHash: string;
  actor: Actor;
}

/** The two keys every mutating script starts with (prelude.lua's convention). */
export type MutationKeyRole = 'idem' | 'audit';

/** The actor as recorded in audit events. */
export function actorJson(actor: Actor): string {
  return JSON.stringify(actor);
}

/**
 * ARGV for a script that follows the prelude's mutating convention: ARGV[1..4] the payload
 * hash, how long to keep the idempotency record, the actor and now (from `deps.clock`, the one
 * clock: scripts never read Redis's TIME), then the script's own `args`.
 * Its KEYS include `idem` (this request's idempotency record) and `audit` (the stream), in the
 * same hash tag as the rest: `script.decide(redis, keys, mutationArgs(deps, ctx, args))`.
 */
export function mutationArgs(
  deps: Deps,
  ctx: MutationContext,
  args: readonly (string | number)[],
  now = deps.clock.now(),
): (string | number)[] {
  return [ctx.payloadHash, deps.config.idempotencyTtlMs, actorJson(ctx.actor), now, ...args];
}
