import * as Y from 'yjs';

/** An update as Yjs decodes it; decoding it checks that it is well formed. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** Decodes a tablet's update; throws if it is not a Yjs update. */
export function decodeUpdate(update: Uint8Array): DecodedUpdate {
  return Y.decodeUpdate(update);
}

/**
 * Whether applying an update would change `doc`: it has an item `doc` lacks, or deletes one
 * `doc` still shows. A tablet's step 2 always carries its whole delete set, and most of them
 * (every reconnect, every answer to a resync) add nothing: those are not stored again.
 */
export function wouldChange(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  const { store } = doc;
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(store, struct.id.client)) return true;
  }
  for (const [client, deletions] of ds.clients) {
    const known = store.clients.get(client);
    for (const { clock, len } of deletions) {
      if (!known || clock + len > Y.getState(store, client)) return true;
      for (let i = Y.findIndexSS(known, clock); i < known.length; i++) {
        const struct = known[i];
        if (!struct || struct.id.clock >= clock + len) break;
        if (!struct.deleted) return true;
      }
    }
  }
  return false;
}
