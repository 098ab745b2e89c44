import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { type ErrorCode, isErrorCode } from '../../shared/errors.ts';

const PRELUDE = readFileSync(new URL('./prelude.lua', import.meta.url), 'utf8');

/** What a script decided. Refusals are values (DESIGN rule 5); replays say so. */
export type Outcome<T> =
  | { ok: true; body: T; replayed: boolean }
  | { ok: false; code: ErrorCode; details?: Record<string, unknown>; replayed: boolean };

/** One Lua script, loaded from a file and prefixed with the shared prelude. */
export class LuaScript {
  readonly source: string;
  readonly sha: string;

  constructor(
    readonly name: string,
    file: URL,
  ) {
    this.source = `${PRELUDE}\n-- ${name}\n${readFileSync(file, 'utf8')}`;
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  /** Runs by SHA and sends the source only when Redis does not have it (after a restart). */
  async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }

  /** Runs a script that follows the prelude's { outcome_json, replayed } convention. */
  async decide<T>(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<Outcome<T>> {
    const reply = await this.run(redis, keys, args);
    if (!Array.isArray(reply) || typeof reply[0] !== 'string') {
      throw new Error(`script ${this.name} returned an unexpected reply`);
    }
    const outcome = JSON.parse(reply[0]) as { ok: boolean; body?: T; code?: string; details?: unknown };
    const replayed = reply[1] === 1;
    if (outcome.ok) return { ok: true, body: outcome.body as T, replayed };
    if (!isErrorCode(outcome.code))
      throw new Error(`script ${this.name} refused with unknown code ${outcome.code}`);
    // cjson encodes an empty Lua table as {} and a missing one as nothing: both mean no details.
    const details = isNonEmptyRecord(outcome.details) ? outcome.details : undefined;
    return details
      ? { ok: false, code: outcome.code, details, replayed }
      : { ok: false, code: outcome.code, replayed };
  }
}

function isNonEmptyRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
  );
}

/** Reads a Lua file next to the caller's module. */
export function scriptAt(name: string, base: string): LuaScript {
  return new LuaScript(name, new URL(`./lua/${name}.lua`, base));
}
