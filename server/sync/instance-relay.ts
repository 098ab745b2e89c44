import { dedicatedClient, isCluster, type RedisClient } from '../redis/client.ts';
import { docKeys } from './doc-store.ts';
import { encodeRelayMessage, parseRelayMessage, RELAY_VERSION, type RelayMessage } from './relay-message.ts';

export type { RelayMessage };

/**
 * Carries updates and awareness between server instances through Redis pub/sub, one channel per
 * store, on one subscriber connection per instance. Messages this instance sent come back and
 * are dropped here (no echo loops). Pub/sub may drop messages while the subscriber reconnects:
 * the live documents notice the gap in append numbers and reload from Redis.
 */
export class InstanceRelay {
  private readonly subscriber: RedisClient;
  /** Live documents per channel: a store reopened while it was closing must not be unsubscribed. */
  private readonly channels = new Map<
    string,
    { storeId: string; users: number; subscribed: Promise<unknown> }
  >();
  private connectedBefore = false;
  private readonly sharded: boolean;

  constructor(
    private readonly redis: RedisClient,
    private readonly instanceId: string,
    onMessage: (storeId: string, message: RelayMessage) => void,
    /** The subscriber came back after a disconnection: messages may have been lost meanwhile. */
    onReconnect: () => void,
  ) {
    this.subscriber = dedicatedClient(redis);
    this.sharded = isCluster(redis);
    // On a Cluster, sharded pub/sub (SSUBSCRIBE / SPUBLISH): a store's messages stay on the
    // shard that owns its slot instead of being broadcast to every node.
    this.subscriber.on(this.sharded ? 'smessageBuffer' : 'messageBuffer', (channel: Buffer, raw: Buffer) => {
      // The channel's store is known from subscribing: no channel name is parsed.
      const storeId = this.channels.get(channel.toString())?.storeId;
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
      const created = { storeId, users: 0, subscribed: Promise.resolve() as Promise<unknown> };
      // A failed SUBSCRIBE is forgotten, so the next document of the store tries again.
      created.subscribed = (
        this.sharded ? this.subscriber.ssubscribe(channel) : this.subscriber.subscribe(channel)
      ).catch((error: unknown) => {
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
    await (this.sharded ? this.subscriber.sunsubscribe(channel) : this.subscriber.unsubscribe(channel));
  }

  async publishAwareness(storeId: string, update: Uint8Array): Promise<void> {
    const header = { v: RELAY_VERSION, kind: 'awareness', instanceId: this.instanceId } as const;
    const channel = docKeys(storeId).channel;
    const message = encodeRelayMessage(header, update);
    await (this.sharded ? this.redis.spublish(channel, message) : this.redis.publish(channel, message));
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
