import type { Redis } from 'ioredis';
import { docKeys } from './doc-store.ts';

/**
 * What instances tell each other on a store's channel, `<kind>|<seq>|<instanceId>|<payload>`:
 * `u` an update just appended as number `seq` (published by append-update.lua, in seq order),
 * `a` an awareness update (seq 0: awareness is not stored).
 */
export interface RelayMessage {
  kind: 'update' | 'awareness';
  seq: number;
  instanceId: string;
  payload: Uint8Array;
}

const CHANNEL_PATTERN = /^\{st:([^}]+)\}:doc:channel$/;
const SEPARATOR = 0x7c; // '|'

/** Reads a channel message; undefined for anything not in this format. */
export function parseRelayMessage(message: Buffer): RelayMessage | undefined {
  const first = message.indexOf(SEPARATOR);
  const second = message.indexOf(SEPARATOR, first + 1);
  const third = message.indexOf(SEPARATOR, second + 1);
  if (first !== 1 || second < 0 || third < 0) return undefined;
  const kind = message[0] === 0x75 ? 'update' : message[0] === 0x61 ? 'awareness' : undefined;
  if (!kind) return undefined;
  const payload = message.subarray(third + 1);
  return {
    kind,
    seq: Number(message.subarray(first + 1, second).toString()),
    instanceId: message.subarray(second + 1, third).toString(),
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
  };
}

/**
 * Carries updates and awareness between server instances through Redis pub/sub, one channel per
 * store, on one subscriber connection per instance. Messages this instance sent come back and
 * are dropped here (no echo loops). Pub/sub may drop messages while the subscriber reconnects:
 * the live documents notice the gap in append numbers and reload from Redis.
 */
export class InstanceRelay {
  private readonly subscriber: Redis;
  /** Live documents per channel: a store reopened while it was closing must not be unsubscribed. */
  private readonly channels = new Map<string, { users: number; subscribed: Promise<unknown> }>();
  private connectedBefore = false;

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    onMessage: (storeId: string, message: RelayMessage) => void,
    /** The subscriber came back after a disconnection: messages may have been lost meanwhile. */
    onReconnect: () => void,
  ) {
    this.subscriber = redis.duplicate();
    this.subscriber.on('messageBuffer', (channel: Buffer, raw: Buffer) => {
      const storeId = CHANNEL_PATTERN.exec(channel.toString())?.[1];
      const message = parseRelayMessage(raw);
      if (!storeId || !message || message.instanceId === this.instanceId) return;
      onMessage(storeId, message);
    });
    this.subscriber.on('ready', () => {
      if (this.connectedBefore) onReconnect();
      this.connectedBefore = true;
    });
  }

  async subscribe(storeId: string): Promise<void> {
    const channel = docKeys(storeId).channel;
    let entry = this.channels.get(channel);
    if (!entry) {
      const created = { users: 0, subscribed: Promise.resolve() as Promise<unknown> };
      // A failed SUBSCRIBE is forgotten, so the next document of the store tries again.
      created.subscribed = this.subscriber.subscribe(channel).catch((error: unknown) => {
        if (this.channels.get(channel) === created) this.channels.delete(channel);
        throw error;
      });
      this.channels.set(channel, created);
      entry = created;
    }
    entry.users += 1;
    await entry.subscribed;
  }

  async unsubscribe(storeId: string): Promise<void> {
    const channel = docKeys(storeId).channel;
    const entry = this.channels.get(channel);
    if (!entry) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    this.channels.delete(channel);
    // Sent on the same connection after any earlier SUBSCRIBE, so a later one re-subscribes.
    await this.subscriber.unsubscribe(channel);
  }

  async publishAwareness(storeId: string, update: Uint8Array): Promise<void> {
    await this.redis.publish(
      docKeys(storeId).channel,
      Buffer.concat([Buffer.from(`a|0|${this.instanceId}|`), update]),
    );
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
