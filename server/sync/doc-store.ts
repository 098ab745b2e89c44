import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import { storePrefix } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';

const compactScript = scriptAt('compact', import.meta.url);

/** Log entries kept before they are folded into the snapshot. */
export const COMPACT_AFTER_ENTRIES = 500;
const COMPACT_LOCK_MS = 30_000;

/** Where a store's document lives in Redis, under the store's hash tag. */
export function docKeys(storeId: string) {
  const p = storePrefix(storeId);
  return {
    snapshot: `${p}doc:snapshot`,
    updates: `${p}doc:updates`,
    channel: `${p}doc:channel`,
    compactLock: `${p}doc:compact-lock`,
    seeded: `${p}doc:seeded`,
    seedLock: `${p}doc:seed-lock`,
  };
}

/** The stored document: the snapshot and every update appended since. */
export async function loadDocUpdates(redis: Redis, storeId: string): Promise<Uint8Array[]> {
  const keys = docKeys(storeId);
  const [snapshot, updates] = await Promise.all([
    redis.getBuffer(keys.snapshot),
    redis.lrangeBuffer(keys.updates, 0, -1),
  ]);
  return [...(snapshot ? [snapshot] : []), ...updates].map((b) => new Uint8Array(b));
}

/**
 * Appends an update and announces it to other instances. Resolves once Redis has it, which
 * with appendfsync always means it is on disk: only then is the update applied and relayed.
 */
export async function appendDocUpdate(
  redis: Redis,
  storeId: string,
  update: Uint8Array,
  instanceId: string,
): Promise<number> {
  const keys = docKeys(storeId);
  const replies = await redis
    .multi()
    .rpush(keys.updates, Buffer.from(update))
    .publish(keys.channel, Buffer.concat([Buffer.from(instanceId), Buffer.from(update)]))
    .exec();
  const [error, length] = replies?.[0] ?? [];
  if (error) throw error;
  return Number(length);
}

/**
 * Folds the log into the snapshot through a garbage-collecting Y.Doc, so replaced values
 * (the server's mirror of stock rewrites them often) stop taking space. One instance at a time.
 */
export async function compactDoc(redis: Redis, storeId: string): Promise<boolean> {
  const keys = docKeys(storeId);
  const locked = await redis.set(keys.compactLock, '1', 'PX', COMPACT_LOCK_MS, 'NX');
  if (locked !== 'OK') return false;
  try {
    const updates = await loadDocUpdates(redis, storeId);
    const hasSnapshot = (await redis.exists(keys.snapshot)) === 1;
    const logEntries = updates.length - (hasSnapshot ? 1 : 0);
    if (logEntries < COMPACT_AFTER_ENTRIES) return false;
    const doc = new Y.Doc();
    for (const update of updates) Y.applyUpdate(doc, update);
    const snapshot = Buffer.from(Y.encodeStateAsUpdate(doc));
    doc.destroy();
    return (await compactScript.run(redis, [keys.snapshot, keys.updates], [logEntries, snapshot])) === 1;
  } finally {
    await redis.del(keys.compactLock);
  }
}
