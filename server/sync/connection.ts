import * as decoding from 'lib0/decoding';
import { type RawData, WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { InvalidUpdateError, type LiveDocument, NotStoredError, type Peer } from './live-document.ts';
import { CLOSE, encodeSaved, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from './protocol.ts';
import type { Grant } from './upgrade-auth.ts';

/** A socket that lets this much pile up unsent is too slow to follow: it reconnects and resyncs. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * Rounds a tablet's app may stay silent before its socket is dropped: its answer to the
 * awareness query may take up to two rounds (a main thread busy applying a large document).
 */
const SILENT_ROUNDS_ALLOWED = 2;
const QUERY_AWARENESS = Uint8Array.of(MESSAGE_QUERY_AWARENESS);

class ProtocolError extends Error {}

/**
 * One tablet's (or admin's) socket on a store document. Its messages are handled in order,
 * behind the document's loading (nothing is answered from a document not loaded yet); sync
 * updates that arrive back to back are stored as one, and the messages after them wait.
 *
 * Acknowledgement: the answer to the tablet's first sync step 1 (its "synced" in y-websocket)
 * is held back until the tablet's own step 2 (the answer to the server's step 1, carrying
 * whatever it did offline) is stored. So when the stock client says synced, its offline work is
 * in Redis. Later updates are stored before they are relayed to anyone; clients that ask
 * (`?saved=1`) also get MESSAGE_SAVED after each.
 */
export class SyncConnection implements Peer {
  readonly awarenessIds = new Set<number>();
  /** Whether the socket answered the last ping. */
  alive = true;
  /**
   * Whether the tablet's app sent anything since the last liveness round. A pong proves only
   * the browser's network stack: it answers pings for a page whose app closed the socket but
   * whose close frame never left (Chromium's offline mode), or a page frozen in the background.
   */
  private heard = false;
  private silentRounds = 0;
  /** Told at each liveness round in which the tablet's app spoke (server/admin/presence.ts). */
  onHeard: (() => void) | undefined;
  private document: LiveDocument | undefined;
  private ready: Promise<void> = Promise.resolve();
  private readonly inbox: Uint8Array[] = [];
  private processing: Promise<void> | undefined;
  /** Set when the server closes the socket: what is still in the inbox is not handled. */
  private stopped = false;
  private greetingAnswered = false;
  private heldAnswers: Uint8Array[] = [];
  private updatesStored = 0;

  constructor(
    readonly ws: WebSocket,
    readonly grant: Grant,
    private readonly onError: (error: unknown) => void,
  ) {}

  get readOnly(): boolean {
    return this.grant.readOnly;
  }

  /**
   * Serves the socket with the document `opened` resolves to (joined by the caller);
   * `onLeave` runs once the socket is gone and has left it.
   */
  serve(opened: Promise<LiveDocument>, onLeave: (document: LiveDocument) => void): void {
    this.ready = opened.then(
      (document) => {
        this.document = document;
      },
      (error: unknown) => {
        this.onError(error);
        this.close(CLOSE.INTERNAL_ERROR, 'could not load the store document');
      },
    );
    this.ws.on('message', (data: RawData) => {
      this.heard = true;
      this.inbox.push(toBytes(data));
      this.processing ??= this.process();
    });
    this.ws.on('pong', () => {
      this.alive = true;
    });
    // Messages that arrived before the tablet closed are still handled (an edit sent just before
    // closing is stored), and only then does the socket leave the document.
    this.ws.on('close', () => {
      void (async () => {
        await this.ready;
        while (this.processing) await this.processing;
        if (!this.document) return;
        this.document.leave(this);
        onLeave(this.document);
      })();
    });
  }

  send(message: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE.TRY_AGAIN_LATER, 'too far behind');
      return;
    }
    this.ws.send(message, (error) => {
      if (error) this.ws.terminate();
    });
  }

  /**
   * One liveness round (every PING_INTERVAL_MS): `dead` when the socket missed the last ping
   * or, for a tablet, its app answered nothing for SILENT_ROUNDS_ALLOWED rounds; otherwise it
   * pings again and asks a tablet's app for its awareness, which the stock client answers at
   * once. `heard` says the app spoke since the last round.
   */
  livenessRound(): 'dead' | 'heard' | 'quiet' {
    if (!this.alive) return 'dead';
    const heard = this.heard;
    if (this.grant.deviceId) {
      this.silentRounds = heard ? 0 : this.silentRounds + 1;
      if (this.silentRounds >= SILENT_ROUNDS_ALLOWED) return 'dead';
      this.heard = false;
      this.send(QUERY_AWARENESS);
    }
    this.alive = false;
    this.ws.ping();
    return heard ? 'heard' : 'quiet';
  }

  close(code: number, reason: string): void {
    this.stopped = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.close(code, reason);
  }

  /** Handles the inbox in order; sync updates waiting back to back are stored as one. */
  private async process(): Promise<void> {
    try {
      await this.ready;
      while (this.inbox.length > 0 && !this.stopped && this.document) {
        const messages = this.inbox.splice(0);
        let updates: { step: number; update: Uint8Array }[] = [];
        for (const message of messages) {
          const decoded = decodeMessage(message);
          if (decoded.kind === 'update') {
            updates.push(decoded);
            continue;
          }
          await this.handleUpdates(this.document, updates);
          updates = [];
          this.handle(this.document, decoded);
        }
        await this.handleUpdates(this.document, updates);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.processing = undefined;
    }
  }

  private handle(document: LiveDocument, message: Exclude<Message, { kind: 'update' }>): void {
    if (this.stopped) return;
    if (message.kind === 'step1') {
      const answer = document.answerStep1(message.stateVector);
      if (this.greetingAnswered) this.send(answer);
      else this.heldAnswers.push(answer);
    } else if (message.kind === 'awareness') document.applyAwareness(message.update, this);
    else if (message.kind === 'query-awareness') this.send(document.awarenessMessage());
  }

  private async handleUpdates(document: LiveDocument, updates: { step: number; update: Uint8Array }[]) {
    if (updates.length === 0 || this.stopped) return;
    // An admin reads only: its edits are dropped here and never stored or relayed.
    if (!this.readOnly) {
      const merged = updates.length === 1 ? (updates[0]?.update as Uint8Array) : mergeUpdates(updates);
      await document.applyFromTablet(this, merged);
      this.updatesStored += updates.length;
      if (this.grant.savedAcks) this.send(encodeSaved(this.updatesStored));
    }
    if (!this.greetingAnswered && updates.some((u) => u.step === syncProtocol.messageYjsSyncStep2)) {
      this.greetingAnswered = true;
      for (const answer of this.heldAnswers.splice(0)) this.send(answer);
    }
  }

  private fail(error: unknown): void {
    if (error instanceof ProtocolError) this.close(CLOSE.PROTOCOL_ERROR, error.message.slice(0, 120));
    else if (error instanceof InvalidUpdateError) this.close(CLOSE.INVALID_UPDATE, 'not a Yjs update');
    else if (error instanceof NotStoredError) this.close(CLOSE.TRY_AGAIN_LATER, 'could not store the update');
    else {
      this.onError(error);
      this.close(CLOSE.INTERNAL_ERROR, 'could not apply the message');
    }
  }
}

type Message =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'update'; step: number; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  /** Auth, and types added later: not for the server (the stock client sends neither). */
  | { kind: 'other' };

function decodeMessage(message: Uint8Array): Message {
  return readOrThrow(() => {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) return { kind: 'step1', stateVector: payload };
      if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate)
        return { kind: 'update', step, update: payload };
      throw new Error(`unknown sync message ${step}`);
    }
    if (type === MESSAGE_AWARENESS) return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    if (type === MESSAGE_QUERY_AWARENESS) return { kind: 'query-awareness' };
    return { kind: 'other' };
  });
}

/** Several updates of one socket as one; a malformed one is reported as the tablet's. */
function mergeUpdates(updates: { update: Uint8Array }[]): Uint8Array {
  try {
    return Y.mergeUpdates(updates.map((u) => u.update));
  } catch (error) {
    throw new InvalidUpdateError(`not a Yjs update: ${(error as Error).message}`);
  }
}

function readOrThrow<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ProtocolError(`malformed message: ${(error as Error).message}`);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
