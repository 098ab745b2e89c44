/**
 * The wire format of `/sync/:storeId`: the stock y-websocket client's. Every message starts with
 * a varUint message type; sync messages carry a y-protocols/sync sub-type (step 1 = state vector,
 * step 2 = the updates the other side lacks, update = a live change); awareness messages carry
 * an awareness update.
 *
 * One addition, opt-in so the stock client never sees it (it logs an error on any message type
 * it has no handler for): a tablet that connects with `?saved=1` also receives MESSAGE_SAVED,
 * `[100, n]`, after each of its updates is durably in Redis, where `n` counts this socket's sync
 * updates (step 2 and update messages, in the order sent) that are now stored. A client that
 * wants it registers `provider.messageHandlers[MESSAGE_SAVED]`.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { SYNC_CLOSE } from '../../shared/store-doc.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** Server to client, opt-in (`?saved=1`): how many of this socket's updates are stored. */
export const MESSAGE_SAVED = 100;

/** The query parameter that asks for MESSAGE_SAVED. */
export const SAVED_ACKS_PARAM = 'saved';

/**
 * Close codes of the sync socket. 1xxx are RFC 6455 §7.4.1 codes; 4xxx are private (§7.4.2).
 * The stock client stops reconnecting on 4400-4499 and retries on anything else.
 */
export const CLOSE = {
  ...SYNC_CLOSE,
  /** A message could not be decoded. */
  PROTOCOL_ERROR: 1002,
  /** Something failed on the server (loading the document, applying a message). */
  INTERNAL_ERROR: 1011,
  /** Redis did not take an update: reconnect, and the handshake sends the update again. */
  TRY_AGAIN_LATER: 1013,
  /** The tablet wrote something no tablet may write (a malformed entry in the server's view). */
  INVALID_UPDATE: 4400,
} as const;

/**
 * How often sockets are pinged; a socket that missed the previous pong is closed (as
 * y-websocket does). 3 s, so a tablet that vanished (lid closed, Wi-Fi gone) is known offline
 * within 6 s, and the admin's page, which reads every 2 s, shows it within 8 s: inside issue 7's
 * 10 s with room for a loaded server (at 4 s the worst case was exactly 10 s). A tablet whose
 * app stopped listening while its browser still answers pings (it went offline in the
 * browser, or its page froze) is known within 9 s (connection.ts `livenessRound`).
 */
export const PING_INTERVAL_MS = 3_000;

/** A whole store document from a tablet that kept it offline is a few MB; anything beyond is refused by `ws`. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Sync step 1: the state vector of `doc`, asking the peer for what it lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** The answer to a peer's step 1: everything in `doc` that its state vector lacks. */
export function encodeSyncStep2(doc: Y.Doc, peerStateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep2(encoder, doc, peerStateVector);
  return encoding.toUint8Array(encoder);
}

/** A live change, as the stock client sends and expects it. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The awareness states of `clients`, as one message. */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return encodeAwarenessUpdate(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** An already encoded awareness update, framed as a message. */
export function encodeAwarenessUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** MESSAGE_SAVED: the first `count` sync updates of this socket are stored. */
export function encodeSaved(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SAVED);
  encoding.writeVarUint(encoder, count);
  return encoding.toUint8Array(encoder);
}
