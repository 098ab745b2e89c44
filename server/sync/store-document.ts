import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { YKeyValue } from 'y-utility/y-keyvalue';
import * as Y from 'yjs';
import { PRODUCTS_MAP, SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';
import { storePrefix } from '../redis/keys.ts';
import { appendDocUpdate, COMPACT_AFTER_ENTRIES, compactDoc, docKeys, loadDocUpdates } from './doc-store.ts';
import {
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './protocol.ts';

/** Transaction origins that are not a client connection. */
export const FROM_SERVER = Symbol('server');
const FROM_REDIS = Symbol('redis');
const FROM_OTHER_INSTANCE = Symbol('other-instance');

/** One socket's view of the document. */
export interface SyncConnection {
  readonly readOnly: boolean;
  readonly deviceId: string | undefined;
  send(message: Uint8Array): void;
  /** Awareness client ids this connection controls, removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

/**
 * A store's Yjs document while at least one socket is connected: loaded from Redis before
 * any answer, persisted before any update is applied, shared with other instances through
 * Redis pub/sub. The `scarce` map belongs to the server: client writes there are reverted.
 */
export class StoreDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<SyncConnection>();
  readonly ready: Promise<void>;
  /** The server-owned list of scarce numbers (set once the document is loaded). */
  private scarce: YKeyValue<unknown> | undefined;
  /** The server's own values of `scarce`, restored when a client writes there. */
  private readonly canonicalScarce = new Map<string, unknown>();
  private persistChain: Promise<unknown> = Promise.resolve();
  private appendedSinceCheck = 0;
  private beforeLoad: Uint8Array[] | undefined = [];

  constructor(
    readonly storeId: string,
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly onError: (error: unknown) => void,
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
        const conn = origin as SyncConnection;
        for (const id of added ?? []) conn.awarenessIds.add(id);
        for (const id of removed ?? []) conn.awarenessIds.delete(id);
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.broadcast(encoding.toUint8Array(encoder), undefined);
    });
    this.doc.getMap(PRODUCTS_MAP).observeDeep((events, transaction) => {
      if (!isConnection(transaction.origin)) return;
      const skus = new Set<string>();
      for (const event of events) {
        if (event.path.length > 0) skus.add(String(event.path[0]));
        else for (const key of event.changes.keys.keys()) skus.add(key);
      }
      this.writeBackCatalog(skus);
    });
    this.ready = this.load();
  }

  /** Called with an update another instance published; applied once loaded. */
  receiveFromOtherInstance(update: Uint8Array): void {
    if (this.beforeLoad) this.beforeLoad.push(update);
    else Y.applyUpdate(this.doc, update, FROM_OTHER_INSTANCE);
  }

  private async load(): Promise<void> {
    const stored = await loadDocUpdates(this.redis, this.storeId);
    this.doc.transact(() => {
      for (const update of stored) Y.applyUpdate(this.doc, update, FROM_REDIS);
      for (const update of this.beforeLoad ?? []) Y.applyUpdate(this.doc, update, FROM_REDIS);
    }, FROM_REDIS);
    this.beforeLoad = undefined;
    // Made after loading: its constructor settles duplicate keys in what was stored.
    this.scarce = new YKeyValue<unknown>(this.doc.getArray<ScarceEntry>(SCARCE_ARRAY));
    for (const [key, entry] of this.scarce.map) this.canonicalScarce.set(key, entry.val);
    this.scarce.on('change', (changes: Map<string, unknown>, transaction: Y.Transaction) => {
      if (!isConnection(transaction.origin)) return;
      // A tablet wrote to the server's part: put back the server's values (DESIGN rule 1).
      const touched = [...changes.keys()];
      queueMicrotask(() => this.restoreScarce(touched));
    });
  }

  /** Sends the opening of the sync protocol to a new connection (after `ready`). */
  greet(conn: SyncConnection): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    conn.send(encoding.toUint8Array(encoder));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states));
      conn.send(encoding.toUint8Array(aw));
    }
  }

  /** Handles one message of a connection; messages of one connection are handled in order. */
  async handle(conn: SyncConnection, message: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      if (step === SYNC_STEP_1) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.readSyncStep1(decoder, encoder, this.doc);
        conn.send(encoding.toUint8Array(encoder));
      } else if (step === SYNC_STEP_2 || step === SYNC_UPDATE) {
        const update = decoding.readVarUint8Array(decoder);
        if (conn.readOnly) return;
        // Durable first: the update is applied, and so relayed to anyone, only once Redis has it.
        await this.persist(update);
        Y.applyUpdate(this.doc, update, conn);
      }
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), conn);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
      );
      conn.send(encoding.toUint8Array(encoder));
    }
  }

  leave(conn: SyncConnection): void {
    this.connections.delete(conn);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
  }

  /** Writes values into the server-owned `scarce` map, only those that changed. */
  writeScarce(values: Map<string, unknown>, removeOthersWithPrefix?: string): void {
    const scarce = this.scarce;
    if (!scarce) throw new Error('writeScarce before the document loaded');
    this.doc.transact(() => {
      for (const [key, value] of values) {
        if (JSON.stringify(this.canonicalScarce.get(key)) === JSON.stringify(value)) continue;
        this.canonicalScarce.set(key, value);
        scarce.set(key, value);
      }
      if (removeOthersWithPrefix !== undefined) {
        for (const key of [...this.canonicalScarce.keys()]) {
          if (key.startsWith(removeOthersWithPrefix) && !values.has(key)) {
            this.canonicalScarce.delete(key);
            scarce.delete(key);
          }
        }
      }
    }, FROM_SERVER);
  }

  /** Adds catalog entries for products the document does not have yet (never overwrites staff edits). */
  addMissingProducts(catalog: Map<string, Record<string, string>>): number {
    const products = this.doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
    let added = 0;
    this.doc.transact(() => {
      for (const [sku, fields] of catalog) {
        if (products.has(sku)) continue;
        const entry = new Y.Map<string>();
        for (const [field, value] of Object.entries(fields)) entry.set(field, value);
        products.set(sku, entry);
        added += 1;
      }
    }, FROM_SERVER);
    return added;
  }

  /** Waits until every update made so far is in Redis (tests and shutdown). */
  flushed(): Promise<unknown> {
    return this.persistChain;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }

  private restoreScarce(keys: string[]): void {
    const scarce = this.scarce;
    if (!scarce) return;
    this.doc.transact(() => {
      for (const key of keys) {
        const canonical = this.canonicalScarce.get(key);
        if (!this.canonicalScarce.has(key)) {
          if (scarce.has(key)) scarce.delete(key);
        } else if (JSON.stringify(scarce.get(key)) !== JSON.stringify(canonical)) {
          scarce.set(key, canonical);
        }
      }
    }, FROM_SERVER);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === FROM_REDIS) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.broadcast(encoding.toUint8Array(encoder), isConnection(origin) ? origin : undefined);
    // Client updates were stored before they were applied, and other instances store their
    // own; everything else made here (the mirror, reverts, YKeyValue's own tidying) is stored now.
    if (!isConnection(origin) && origin !== FROM_OTHER_INSTANCE) void this.persist(update);
  }

  /** Staff edits of names and categories reach the public product list (the CRDT is their authority). */
  private writeBackCatalog(skus: Set<string>): void {
    const products = this.doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
    const fields: string[] = [];
    for (const sku of skus) {
      const entry = products.get(sku);
      const name = entry?.get('name');
      if (!entry || !name) continue;
      fields.push(
        sku,
        JSON.stringify({
          name,
          category: entry.get('category') ?? '',
          priceLabel: entry.get('priceLabel') ?? '',
        }),
      );
    }
    if (fields.length > 0)
      this.redis.hset(`${storePrefix(this.storeId)}catalog`, ...fields).catch(this.onError);
  }

  private persist(update: Uint8Array): Promise<void> {
    const appended = this.persistChain.then(async () => {
      await appendDocUpdate(this.redis, this.storeId, update, this.instanceId);
      this.appendedSinceCheck += 1;
      if (this.appendedSinceCheck >= COMPACT_AFTER_ENTRIES / 5) {
        this.appendedSinceCheck = 0;
        const length = await this.redis.llen(docKeys(this.storeId).updates);
        if (length >= COMPACT_AFTER_ENTRIES) void compactDoc(this.redis, this.storeId).catch(this.onError);
      }
    });
    this.persistChain = appended.catch(this.onError);
    return appended;
  }

  private broadcast(message: Uint8Array, except: SyncConnection | undefined): void {
    for (const conn of this.connections) if (conn !== except) conn.send(message);
  }
}

function isConnection(origin: unknown): origin is SyncConnection {
  return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin;
}
