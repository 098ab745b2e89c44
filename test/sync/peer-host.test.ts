import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type Peer, PeerHost } from '../../server/sync/peer-host.ts';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../server/sync/protocol.ts';

const FROM_INSTANCE = Symbol('another instance');

/** A socket that keeps what it is sent. */
function recordingPeer(): Peer & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { readOnly: false, awarenessIds: new Set(), sent, send: (m) => void sent.push(m), close: () => {} };
}

const typeOf = (message: Uint8Array) => decoding.readVarUint(decoding.createDecoder(message));

/** An awareness update from a client of its own (a tablet's awareness). */
function tabletAwareness(state: Record<string, unknown> | null): { update: Uint8Array; clientId: number } {
  const doc = new Y.Doc();
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state);
  return {
    update: awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
    clientId: doc.clientID,
  };
}

describe('the peers of a document and their awareness', () => {
  it('greets a joining peer with the state vector, and with who is here once someone is', () => {
    const published: Uint8Array[] = [];
    const host = new PeerHost(new Y.Doc(), (u) => void published.push(u), FROM_INSTANCE);
    const first = recordingPeer();
    host.join(first);
    expect(first.sent.map(typeOf)).toEqual([MESSAGE_SYNC]);
    host.applyAwareness(tabletAwareness({ user: 'a' }).update, first);
    const second = recordingPeer();
    host.join(second);
    expect(second.sent.map(typeOf)).toEqual([MESSAGE_SYNC, MESSAGE_AWARENESS]);
  });

  it('tells tablets apart from other origins only once they joined', () => {
    const host = new PeerHost(new Y.Doc(), () => {}, FROM_INSTANCE);
    const peer = recordingPeer();
    expect(host.isTabletOrigin(peer)).toBe(false);
    host.join(peer);
    host.leave(peer);
    expect(host.isTabletOrigin(peer)).toBe(true);
    expect(host.isTabletOrigin(FROM_INSTANCE)).toBe(false);
    expect(host.isTabletOrigin(null)).toBe(false);
  });

  it('echoes a tablet’s awareness to every peer, itself too, and publishes it; another instance’s is not published', () => {
    const published: Uint8Array[] = [];
    const host = new PeerHost(new Y.Doc(), (u) => void published.push(u), FROM_INSTANCE);
    const a = recordingPeer();
    const b = recordingPeer();
    host.join(a);
    host.join(b);
    a.sent.length = 0;
    b.sent.length = 0;
    const { update, clientId } = tabletAwareness({ user: 'a' });
    host.applyAwareness(update, a);
    expect(a.sent.map(typeOf)).toEqual([MESSAGE_AWARENESS]);
    expect(b.sent.map(typeOf)).toEqual([MESSAGE_AWARENESS]);
    expect([...a.awarenessIds]).toEqual([clientId]);
    expect(published).toHaveLength(1);
    host.applyAwarenessFromInstance(tabletAwareness({ user: 'elsewhere' }).update);
    expect(published).toHaveLength(1);
    expect(b.sent).toHaveLength(2);
  });

  it('removes a leaving peer’s awareness and tells the others', () => {
    const host = new PeerHost(new Y.Doc(), () => {}, FROM_INSTANCE);
    const a = recordingPeer();
    const b = recordingPeer();
    host.join(a);
    host.join(b);
    const { update, clientId } = tabletAwareness({ user: 'a' });
    host.applyAwareness(update, a);
    b.sent.length = 0;
    host.leave(a);
    expect(host.awareness.getStates().has(clientId)).toBe(false);
    expect(b.sent.map(typeOf)).toEqual([MESSAGE_AWARENESS]);
    expect(host.peers.has(a)).toBe(false);
  });

  it('answers a sync step 1 with what the peer lacks', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 1);
    const host = new PeerHost(doc, () => {}, FROM_INSTANCE);
    const answer = decoding.createDecoder(host.answerStep1(Y.encodeStateVector(new Y.Doc())));
    expect(decoding.readVarUint(answer)).toBe(MESSAGE_SYNC);
    decoding.readVarUint(answer);
    const tablet = new Y.Doc();
    Y.applyUpdate(tablet, decoding.readVarUint8Array(answer));
    expect(tablet.getMap('m').get('k')).toBe(1);
  });
});
