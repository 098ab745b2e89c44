import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { encodeAwareness, encodeAwarenessUpdate, encodeSyncStep1, encodeSyncStep2 } from './protocol.ts';

/** One socket's side of a live document. */
export interface Peer {
  readonly readOnly: boolean;
  /** Awareness client ids this socket announced; removed when it leaves. */
  readonly awarenessIds: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * The sockets of a store document on this instance and their awareness (who is here): greets a
 * joining peer, answers its sync step 1, and sends every awareness change to every peer.
 * A peer is its own transaction origin, so `isTabletOrigin` tells a tablet's changes apart
 * from the server's and other instances'.
 */
export class PeerHost {
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  private readonly everJoined = new WeakSet<object>();

  constructor(
    private readonly doc: Y.Doc,
    /** Sends an awareness change a peer here made to the other instances. */
    private readonly publishAwareness: (update: Uint8Array) => void,
    /** The transaction origin of awareness received from another instance. */
    private readonly instanceOrigin: unknown,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', (changes: AwarenessChanges, origin: unknown) =>
      this.onAwarenessUpdate(changes, origin),
    );
  }

  /** Whether a transaction origin is a tablet's socket (rather than the server or Redis). */
  isTabletOrigin(origin: unknown): boolean {
    return typeof origin === 'object' && origin !== null && this.everJoined.has(origin);
  }

  /** Adds a socket and opens the sync: the server's state vector, and who else is here. */
  join(peer: Peer): void {
    this.everJoined.add(peer);
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) peer.send(encodeAwareness(this.awareness, present));
  }

  leave(peer: Peer): void {
    this.peers.delete(peer);
    if (peer.awarenessIds.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], peer);
  }

  /** The answer to a peer's sync step 1: everything it lacks. */
  answerStep1(peerStateVector: Uint8Array): Uint8Array {
    return encodeSyncStep2(this.doc, peerStateVector);
  }

  /** Every awareness state known here, as one message. */
  awarenessMessage(): Uint8Array {
    return encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]);
  }

  applyAwareness(update: Uint8Array, peer: Peer): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  applyAwarenessFromInstance(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this.instanceOrigin);
  }

  /** Sends `message` to every peer but `except`. */
  broadcast(message: Uint8Array, except?: Peer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(message);
  }

  destroy(): void {
    this.awareness.destroy();
  }

  private onAwarenessUpdate({ added, updated, removed }: AwarenessChanges, origin: unknown): void {
    const fromTablet = this.isTabletOrigin(origin);
    if (fromTablet) {
      const peer = origin as Peer;
      for (const id of added) peer.awarenessIds.add(id);
      for (const id of removed) peer.awarenessIds.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
      ...added,
      ...updated,
      ...removed,
    ]);
    // To every peer, the sender too: the stock client closes a socket that has been silent for
    // 30 s, and the echo of its own awareness renewal (every 15 s) is what keeps it open.
    this.broadcast(encodeAwarenessUpdate(update));
    if (fromTablet) this.publishAwareness(update);
  }
}
