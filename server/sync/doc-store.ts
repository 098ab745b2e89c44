/**
 * A store document in Redis: a snapshot plus an append-only log of the updates made since,
 * all under the store's hash tag. Appends are numbered (seq 1, 2, 3, ...): the snapshot holds
 * appends 1..seq-LLEN and the log the rest, so a compaction can fold exactly what a snapshot
 * holds while other instances keep appending.
 */
import { isCluster, type RedisClient } from '../redis/client.ts';
import { storePrefix } from '../redis/keys.ts';
import { scriptAt } from '../redis/lua-script.ts';

const appendScript = scriptAt('append-update', import.meta.url);
const compactScript = scriptAt('compact', import.meta.url);

/** Where a store's document lives in Redis, under the store's hash tag. */
export function docKeys(storeId: string) {
  const p = storePrefix(storeId);
  return {
    snapshot: `${p}doc:snapshot`,
    /** The update log (a list); named before the snapshot existed, kept so stored documents load. */
    log: `${p}doc:updates`,
    seq: `${p}doc:seq`,
    logBytes: `${p}doc:log-bytes`,
    /** Pub/sub channel of the document's updates and awareness between instances. */
    channel: `${p}doc:channel`,
    compactLock: `${p}doc:compact-lock`,
  };
}

export interface StoredDoc {
  /** The snapshot (when there is one) and then every logged update, in order. */
  updates: Uint8Array[];
  /** The number of the last append these updates hold. */
  seq: number;
}

/** Reads the snapshot, the log and the append counter in one MULTI, so they agree. */
export async function loadStoredDoc(redis: RedisClient, storeId: string): Promise<StoredDoc> {
  const keys = docKeys(storeId);
  const replies = await redis
    .multi()
    .getBuffer(keys.snapshot)
    .lrangeBuffer(keys.log, 0, -1)
    .get(keys.seq)
    .exec();
  const [snapshot, log, seq] = (replies ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as [Buffer | null, Buffer[], string | null];
  const updates = [...(snapshot ? [snapshot] : []), ...log].map((b) => new Uint8Array(b));
  return { updates, seq: seq === null ? log.length : Number(seq) };
}

export interface Appended {
  seq: number;
  logLength: number;
  logBytes: number;
  snapshotBytes: number;
}

/**
 * Appends an update and publishes it to the other instances, in one script. Resolves once Redis
 * has it: with `appendfsync always` (the product's setting) that is once it is on disk.
 */
export async function appendUpdate(
  redis: RedisClient,
  storeId: string,
  update: Uint8Array,
  instanceId: string,
): Promise<Appended> {
  const keys = docKeys(storeId);
  const reply = (await appendScript.run(
    redis,
    [keys.log, keys.seq, keys.logBytes, keys.snapshot],
    [
      Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      keys.channel,
      instanceId,
      isCluster(redis) ? 'SPUBLISH' : 'PUBLISH',
    ],
  )) as number[];
  const [seq = 0, logLength = 0, logBytes = 0, snapshotBytes = 0] = reply.map(Number);
  return { seq, logLength, logBytes, snapshotBytes };
}

/**
 * Replaces the log entries numbered up to `through` with `snapshot` (which must hold them all).
 * Returns how many entries were folded; 0 if another compaction got there first.
 */
export async function compactStoredDoc(
  redis: RedisClient,
  storeId: string,
  through: number,
  snapshot: Uint8Array,
): Promise<number> {
  const keys = docKeys(storeId);
  return Number(
    await compactScript.run(
      redis,
      [keys.snapshot, keys.log, keys.seq, keys.logBytes],
      [through, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength)],
    ),
  );
}

/** Takes the right to compact a store's document for `ttlMs`; false if another instance has it. */
export async function claimCompaction(redis: RedisClient, storeId: string, ttlMs: number): Promise<boolean> {
  return (await redis.set(docKeys(storeId).compactLock, '1', 'PX', ttlMs, 'NX')) === 'OK';
}

/** Gives the right to compact back once done. */
export async function releaseCompaction(redis: RedisClient, storeId: string): Promise<void> {
  await redis.del(docKeys(storeId).compactLock);
}
