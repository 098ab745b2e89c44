import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTagOf, LuaScript, toLua } from '../../server/redis/lua-script.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let dir: string;
let files = 0;
/** A script file with this text, as the loader reads scripts from files. */
const file = (text: string) => {
  const path = join(dir, `script-${files++}.lua`);
  writeFileSync(path, text);
  return pathToFileURL(path);
};

beforeAll(async () => {
  redis = await startTestRedis();
  dir = mkdtempSync(join(tmpdir(), 'holdfast-lua-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('LuaScript', () => {
  it('gives the script its keys by role, in the declared order', async () => {
    const script = new LuaScript('roles', file('return { K.first, K.second, NAMED_KEYS, KEYS[3] }'), {
      keys: ['first', 'second'],
    });
    const reply = await script.call(redis.client(), { second: '{t}:b', first: '{t}:a' }, [], ['{t}:c']);
    expect(reply).toEqual(['{t}:a', '{t}:b', 2, '{t}:c']);
  });

  it('refuses keys of two hash tags before Redis sees them (Redis Cluster would)', () => {
    const script = new LuaScript('tags', file('return 1'), { keys: ['a', 'b'] });
    expect(() => script.keyList({ a: '{st:aiea}:onhand', b: '{st:kapolei}:onhand' })).toThrow(/outside/);
    expect(() => script.keyList({ a: '{st:aiea}:onhand', b: '{st:aiea}:held' }, ['{ev:x}:audit'])).toThrow(
      /outside/,
    );
  });

  it('hands shared tables to the script as Lua constants', async () => {
    const rules = { confirm: { from: ['held'], to: 'confirmed' }, ack: { from: 'any' } };
    const script = new LuaScript(
      'constants',
      file('return { RULES.confirm.from[1], RULES.confirm.to, RULES.ack.from, tostring(RULES.ack.to) }'),
      { constants: { RULES: rules } },
    );
    expect(await script.call(redis.client(), {}, [])).toEqual(['held', 'confirmed', 'any', 'nil']);
  });
});

describe('hashTagOf and toLua', () => {
  it('reads the hash tag the way Redis Cluster does', () => {
    expect(hashTagOf('{st:aiea}:hold:1')).toBe('st:aiea');
    expect(hashTagOf('{}:x')).toBe('{}:x');
    expect(hashTagOf('stores')).toBe('stores');
  });

  it('writes plain values as Lua literals and refuses control characters', () => {
    expect(toLua({ a: [1, 'x"y'], b: true })).toBe('{ ["a"] = { 1, "x\\"y" }, ["b"] = true }');
    expect(() => toLua('a\nb')).toThrow();
  });
});

describe('keys read from a record the script changes', () => {
  const source =
    "if redis.call('GET', K.record) ~= ARGV[1] then return stale_keys() end\n" +
    'return { cjson.encode({ ok = true, body = ARGV[1] }), 0 }';

  it('reads them again when the record changed between the read and the script', async () => {
    const client = redis.client();
    await client.set('{t}:record', 'a');
    const script = new LuaScript('fresh', file(source), { keys: ['record'] });
    let reads = 0;
    const outcome = await script.decideWithFreshKeys(client, async () => {
      const value = (await client.get('{t}:record')) ?? '';
      reads += 1;
      // Another client changes the record after this read, before the script runs.
      if (reads === 1) await client.set('{t}:record', 'b');
      return { keys: { record: '{t}:record' }, args: [value] };
    });
    expect(outcome).toEqual({ ok: true, body: 'b', replayed: false });
    expect(reads).toBe(2);
  });

  it('gives up after a few reads rather than loop', async () => {
    const client = redis.client();
    const script = new LuaScript('stale', file(source), { keys: ['record'] });
    let reads = 0;
    const plan = async () => {
      reads += 1;
      return { keys: { record: '{t}:other' }, args: ['never'] };
    };
    await expect(script.decideWithFreshKeys(client, plan, 3)).rejects.toThrow(/stale after 3/);
    expect(reads).toBe(3);
  });
});
