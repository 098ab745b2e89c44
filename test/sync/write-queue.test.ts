import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Peer } from '../../server/sync/peer-host.ts';
import { NotStoredError, WriteQueue } from '../../server/sync/write-queue.ts';

const FROM_INSTANCE = Symbol('another instance');
const FROM_SERVER = Symbol('this server');

function recordingPeer(): Peer & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { readOnly: false, awarenessIds: new Set(), sent, send: (m) => void sent.push(m), close: () => {} };
}

/** The document update inside a relayed sync message. */
function updateIn(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/** A queue over a document, storing into `stored` when `gate` lets an append through. */
function setup() {
  const doc = new Y.Doc();
  const peers = new Set<Peer>();
  const stored: Uint8Array[] = [];
  const failures: unknown[] = [];
  let refuse: Error | undefined;
  const releases: (() => void)[] = [];
  let held = false;
  const queue = new WriteQueue({
    doc,
    peers,
    isTabletOrigin: (origin) => peers.has(origin as Peer),
    instanceOrigin: FROM_INSTANCE,
    append: async (update) => {
      if (held) await new Promise<void>((release) => releases.push(release));
      if (refuse) throw refuse;
      stored.push(update);
    },
    onFailed: (error) => void failures.push(error),
  });
  doc.on('update', (update: Uint8Array, origin: unknown) => queue.capture(update, origin));
  return {
    doc,
    peers,
    queue,
    stored,
    failures,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const release of releases.splice(0)) release();
    },
    refuseWith: (error: Error) => {
      refuse = error;
    },
  };
}

/** A tablet's edit, as the update its own document would send. */
function edit(key: string, value: unknown): Uint8Array {
  const tablet = new Y.Doc();
  tablet.getMap('m').set(key, value);
  return Y.encodeStateAsUpdate(tablet);
}

const contentOf = (updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
};

describe('the store-then-relay write queue', () => {
  it('relays a tablet’s update to the other peers only once it is stored, and never back to its sender', async () => {
    const { peers, queue, stored, hold, release } = setup();
    const sender = recordingPeer();
    const other = recordingPeer();
    peers.add(sender).add(other);
    hold();
    let settled = false;
    const written = queue.store(edit('shelf', 'A1'), sender).then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(other.sent).toHaveLength(0);
    expect(settled).toBe(false);
    release();
    await written;
    expect(contentOf(stored)).toEqual({ shelf: 'A1' });
    expect(other.sent.map((m) => contentOf([updateIn(m)]))).toEqual([{ shelf: 'A1' }]);
    expect(sender.sent).toHaveLength(0);
  });

  it('stores updates waiting together in one append, in order', async () => {
    const { peers, queue, stored, hold, release } = setup();
    const a = recordingPeer();
    peers.add(a);
    hold();
    const first = queue.store(edit('x', 1), a);
    await Promise.resolve();
    const waiting = [queue.store(edit('y', 2), a), queue.store(edit('z', 3), a)];
    release();
    await Promise.all([first, ...waiting]);
    expect(stored).toHaveLength(2);
    expect(contentOf(stored.slice(1))).toEqual({ y: 2, z: 3 });
  });

  it('stores the server’s repair of a tablet’s update in the same append, and sends the repair to the sender', async () => {
    const { doc, peers, queue, stored } = setup();
    const sender = recordingPeer();
    const other = recordingPeer();
    peers.add(sender).add(other);
    // The server owns `forbidden`: a tablet's write there is put back at once.
    doc.getMap('m').observe((event) => {
      if (!peers.has(event.transaction.origin as Peer) || !event.keysChanged.has('forbidden')) return;
      doc.transact(() => doc.getMap('m').delete('forbidden'), FROM_SERVER);
    });
    const forged = new Y.Doc();
    forged.getMap('m').set('forbidden', 'by a tablet');
    forged.getMap('m').set('shelf', 'B2');
    await queue.store(Y.encodeStateAsUpdate(forged), sender);
    expect(stored).toHaveLength(1);
    expect(contentOf(stored)).toEqual({ shelf: 'B2' });
    expect(contentOf(other.sent.map(updateIn))).toEqual({ shelf: 'B2' });
    expect(sender.sent).toHaveLength(1);
    expect(doc.getMap('m').toJSON()).toEqual({ shelf: 'B2' });
  });

  it('refuses every write once Redis refused one, reports it once, relays nothing, and still answers flushed()', async () => {
    const { peers, queue, failures, refuseWith } = setup();
    const sender = recordingPeer();
    const other = recordingPeer();
    peers.add(sender).add(other);
    refuseWith(new Error('READONLY'));
    await expect(queue.store(edit('a', 1), sender)).rejects.toBeInstanceOf(NotStoredError);
    await expect(queue.store(edit('b', 2))).rejects.toBeInstanceOf(NotStoredError);
    await expect(queue.flushed()).rejects.toBeInstanceOf(NotStoredError);
    expect(queue.failed).toBe(true);
    expect(failures).toHaveLength(1);
    expect(other.sent).toHaveLength(0);
  });

  it('stores the server’s own changes without applying them again', async () => {
    const { doc, queue, stored } = setup();
    const server = new Y.Doc();
    server.getMap('m').set('asOf', 7);
    const update = Y.encodeStateAsUpdate(server);
    await queue.store(update);
    await queue.flushed();
    expect(stored).toEqual([update]);
    expect(doc.getMap('m').size).toBe(0);
  });
});
