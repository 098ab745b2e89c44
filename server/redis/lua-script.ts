import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AUDIT_EVENT_VERSION, LUA_AUDIT_EVENT_TYPES } from '../../shared/audit-events.ts';
import { type ErrorCode, isErrorCode } from '../../shared/errors.ts';
import type { RedisClient } from './client.ts';

const PRELUDE = readFileSync(new URL('./prelude.lua', import.meta.url), 'utf8');

/** The audit event type names (`EV.holdCreated`, `EV.stock[kind]`...) and version, in every script: the prelude's helpers write events too. */
const AUDIT_CONSTANTS = [
  `local EV = ${toLua(LUA_AUDIT_EVENT_TYPES)}`,
  `local AUDIT_EVENT_VERSION = ${AUDIT_EVENT_VERSION}`,
];

/** What a script decided. Refusals are values (DESIGN rule 5); replays say so. */
export type Outcome<T> =
  | { ok: true; body: T; replayed: boolean }
  | { ok: false; code: ErrorCode; details?: Record<string, unknown>; replayed: boolean };

/** A value a script is given as a Lua constant (see `LuaScriptOptions.constants`). */
export type LuaValue = string | number | boolean | readonly LuaValue[] | { readonly [key: string]: LuaValue };

export interface LuaScriptOptions<K extends string> {
  /**
   * The roles of the script's KEYS, in order. The script reads them as `K.<role>`; callers pass
   * a record by role, built by the capability's key module, so no script builds a key name.
   * Keys beyond these (a variable list) start at `KEYS[NAMED_KEYS + 1]`.
   */
  keys?: readonly K[];
  /** Domain tables defined once in `shared/` and handed to the script as Lua locals. */
  constants?: Record<string, LuaValue>;
}

/** One Lua script, loaded from a file and prefixed with its key roles, constants and the shared prelude. */
export class LuaScript<K extends string = never> {
  readonly source: string;
  readonly sha: string;
  readonly keyRoles: readonly K[];

  constructor(
    readonly name: string,
    file: URL,
    options: LuaScriptOptions<K> = {},
  ) {
    this.keyRoles = options.keys ?? [];
    const header = [
      `local K = { ${this.keyRoles.map((role, i) => `${role} = KEYS[${i + 1}]`).join(', ')} }`,
      `local NAMED_KEYS = ${this.keyRoles.length}`,
      ...AUDIT_CONSTANTS,
      ...Object.entries(options.constants ?? {}).map(([name, value]) => `local ${name} = ${toLua(value)}`),
    ].join('\n');
    this.source = `${header}\n${PRELUDE}\n-- ${name}\n${readFileSync(file, 'utf8')}`;
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  /** The KEYS array for a call: the named roles in declared order, then any extra keys. */
  keyList(keys: Record<K, string>, extraKeys: readonly string[] = []): string[] {
    const list = [...this.keyRoles.map((role) => keys[role]), ...extraKeys];
    if (list.some((key) => typeof key !== 'string'))
      throw new Error(`script ${this.name}: a key role is missing`);
    assertOneHashTag(this.name, list);
    return list;
  }

  /** Runs by SHA and sends the source only when Redis does not have it (after a restart). */
  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
  ): Promise<unknown> {
    // One array, not spread arguments: a call with hundreds of thousands of arguments (the
    // slots of a long event at many stores) overflows the stack. ioredis flattens it.
    const flat = [...keys, ...args.map((arg) => (typeof arg === 'number' ? String(arg) : arg))];
    try {
      return await redis.evalsha(this.sha, keys.length, flat);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, flat);
      }
      throw error;
    }
  }

  /** Runs with keys given by role (see `LuaScriptOptions.keys`). */
  call(
    redis: RedisClient,
    keys: Record<K, string>,
    args: readonly (string | number | Buffer)[],
    extraKeys: readonly string[] = [],
  ): Promise<unknown> {
    return this.run(redis, this.keyList(keys, extraKeys), args);
  }

  /** Runs a script that follows the prelude's { outcome_json, replayed } convention. */
  async decide<T>(
    redis: RedisClient,
    keys: Record<K, string>,
    args: readonly (string | number)[],
    extraKeys: readonly string[] = [],
  ): Promise<Outcome<T>> {
    const reply = await this.call(redis, keys, args, extraKeys);
    if (isStaleKeysReply(reply)) throw new Error(`script ${this.name} found its keys stale`);
    return this.outcomeOf<T>(reply);
  }

  /**
   * Runs a script whose keys are read from data it changes (a booking names its slot, an expiry
   * set names the holds due): `plan` reads them and returns the keys, with what it read among
   * the arguments. The script checks that inside its atomic step; when the data changed in
   * between it changes nothing and answers prelude.lua's stale_keys(), and `plan` runs again
   * with the next attempt number (a plan may skip reading on attempt 1 when it expects nothing).
   */
  async runWithFreshKeys(
    redis: RedisClient,
    plan: (attempt: number) => Promise<KeyPlan<K>>,
    attempts = STALE_KEY_ATTEMPTS,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const { keys, args, extraKeys = [] } = await plan(attempt);
      const reply = await this.call(redis, keys, args, extraKeys);
      if (!isStaleKeysReply(reply)) return reply;
      if (attempt >= attempts)
        throw new Error(`script ${this.name}: keys still stale after ${attempts} reads`);
    }
  }

  /** runWithFreshKeys for a script that follows the prelude's { outcome_json, replayed } convention. */
  async decideWithFreshKeys<T>(
    redis: RedisClient,
    plan: (attempt: number) => Promise<KeyPlan<K>>,
    attempts = STALE_KEY_ATTEMPTS,
  ): Promise<Outcome<T>> {
    return this.outcomeOf<T>(await this.runWithFreshKeys(redis, plan, attempts));
  }

  private outcomeOf<T>(reply: unknown): Outcome<T> {
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

/** The keys and arguments of one run, as a plan read them (see runWithFreshKeys). */
export interface KeyPlan<K extends string> {
  keys: Record<K, string>;
  args: readonly (string | number)[];
  extraKeys?: readonly string[];
}

/** Reads of data that keeps changing under a script: more than this is a bug, not a race. */
const STALE_KEY_ATTEMPTS = 5;

/** prelude.lua's stale_keys() reply: the keys were read from a record that changed since. */
function isStaleKeysReply(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === 'STALE_KEYS' && reply[1] === 2;
}

function isNonEmptyRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
  );
}

/** The hash tag Redis Cluster places a key by: the text inside the first `{...}`, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/**
 * DESIGN "Server": every script touches keys of one hash tag only, so it runs unchanged on
 * Redis Cluster. A key module that put one key elsewhere fails here, in every test.
 */
function assertOneHashTag(script: string, keys: readonly string[]): void {
  const first = keys[0];
  if (first === undefined) return;
  const tag = hashTagOf(first);
  // The key modules put the tag first (`{st:aiea}:...`): a key that starts the same way is in it.
  const prefix = first.startsWith(`{${tag}}`) ? `{${tag}}` : undefined;
  for (const key of keys) {
    if (prefix !== undefined && key.startsWith(prefix)) continue;
    if (hashTagOf(key) !== tag) throw new Error(`script ${script}: key ${key} is outside {${tag}}`);
  }
}

/** A Lua literal for a plain value (the constants handed to a script). */
export function toLua(value: LuaValue): string {
  if (typeof value === 'string') {
    // JSON's \uXXXX escapes are not Lua 5.1; plain text needs none of them.
    if ([...value].some((ch) => ch.charCodeAt(0) < 0x20))
      throw new Error('a Lua constant holds a control character');
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a Lua number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{ ${value.map((v) => toLua(v)).join(', ')} }`;
  const entries = Object.entries(value as Record<string, LuaValue>).map(
    ([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`,
  );
  return `{ ${entries.join(', ')} }`;
}

/** Reads a Lua file next to the caller's module. */
export function scriptAt<const K extends string = never>(
  name: string,
  base: string,
  options: LuaScriptOptions<K> = {},
): LuaScript<K> {
  return new LuaScript(name, new URL(`./lua/${name}.lua`, base), options);
}
