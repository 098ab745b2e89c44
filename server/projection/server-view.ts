import type * as Y from 'yjs';
import { SCARCE_ARRAY, type ScarceEntry } from '../../shared/store-doc.ts';

/** What `writeServerView` hands its callback: the server's values, to read and change. */
export interface ServerViewWriter {
  get(key: string): unknown;
  keys(): string[];
  /** Sets `key`; writing the value it already has changes nothing. */
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * The server-owned part of a store document: `scarce`, a list of `{ key, val }` entries where
 * the rightmost entry of a key wins (shared/store-doc.ts). Only the server writes it (DESIGN
 * rule 1): a tablet's change is put back at once, and entries no tablet could have meant
 * (not `{ key: string }`) are removed.
 *
 * Why a list and not a Y.Map: each overwrite of a Y.Map key leaves a tombstone item forever,
 * so numbers rewritten all day grow the document with the number of writes. Here a write
 * appends one entry and deletes the old one; deleted neighbours merge into one range, so the
 * stored size follows the number of live keys, not the number of writes.
 */
export class ServerView {
  private readonly list: Y.Array<ScarceEntry>;
  /** The values the server stands behind; a tablet's change is measured against them. */
  private readonly canonical = new Map<string, unknown>();

  constructor(
    private readonly doc: Y.Doc,
    /** The transaction origin of the server's own writes. */
    private readonly serverOrigin: unknown,
    private readonly isTablet: (origin: unknown) => boolean,
  ) {
    this.list = doc.getArray<ScarceEntry>(SCARCE_ARRAY);
    this.adopt();
    this.list.observe((_event, transaction) => {
      if (this.isTablet(transaction.origin)) this.repair();
      // Changes from another instance or from Redis are the server's own, made elsewhere.
      else if (transaction.origin !== this.serverOrigin) this.adopt();
    });
    this.repair();
  }

  /** Applies `fn`'s changes in one transaction; returns whether anything changed. */
  write(fn: (writer: ServerViewWriter) => void): boolean {
    const changed = new Map<string, { value: unknown } | undefined>();
    const current = (key: string) => {
      const change = changed.get(key);
      return changed.has(key) ? change?.value : this.canonical.get(key);
    };
    fn({
      // A copy: changing the returned object in place must not change what counts as written.
      get: (key) => structuredClone(current(key)),
      keys: () =>
        [...new Set([...this.canonical.keys(), ...changed.keys()])].filter((k) => current(k) !== undefined),
      set: (key, value) => {
        if (value === undefined)
          throw new Error('writeServerView: a value cannot be undefined; delete the key');
        if (!sameValue(this.canonical.get(key), value)) changed.set(key, { value });
        else changed.delete(key);
      },
      delete: (key) => {
        if (this.canonical.has(key)) changed.set(key, undefined);
        else changed.delete(key);
      },
    });
    if (changed.size === 0) return false;
    this.doc.transact(() => {
      this.deleteEntries((entry) => changed.has(entry.key));
      const added: ScarceEntry[] = [];
      for (const [key, change] of changed) {
        if (change === undefined) this.canonical.delete(key);
        else {
          this.canonical.set(key, change.value);
          added.push({ key, val: change.value });
        }
      }
      if (added.length > 0) this.list.push(added);
    }, this.serverOrigin);
    return true;
  }

  /** Takes what the document shows as the server's values (after loading, or a change from another instance). */
  private adopt(): void {
    this.canonical.clear();
    for (const entry of this.list.toArray()) if (isEntry(entry)) this.canonical.set(entry.key, entry.val);
  }

  /**
   * Puts the list back to the server's values: for each key, the rightmost entry that holds
   * the server's value stays (so undoing a tablet's new entry needs no new entry, and cannot
   * outrun a newer value another instance is writing); every other entry goes.
   */
  private repair(): void {
    const entries = this.list.toArray();
    const keep = new Map<string, number>();
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (!isEntry(entry) || keep.has(entry.key) || !this.canonical.has(entry.key)) continue;
      if (sameValue(entry.val, this.canonical.get(entry.key))) keep.set(entry.key, i);
    }
    const missing = [...this.canonical].filter(([key]) => !keep.has(key));
    const keptIndexes = new Set(keep.values());
    if (missing.length === 0 && keptIndexes.size === entries.length) return;
    this.doc.transact(() => {
      this.deleteEntries((_entry, index) => !keptIndexes.has(index), entries);
      if (missing.length > 0) this.list.push(missing.map(([key, val]) => ({ key, val })));
    }, this.serverOrigin);
  }

  /** Deletes the entries `drop` picks, from the right so the indexes stay valid; runs of neighbours go in one call. */
  private deleteEntries(
    drop: (entry: ScarceEntry, index: number) => boolean,
    entries: unknown[] = this.list.toArray(),
  ): void {
    let end = entries.length;
    for (let i = entries.length - 1; i >= -1; i--) {
      const entry = entries[i];
      const dropped = i >= 0 && (!isEntry(entry) || drop(entry, i));
      if (dropped) continue;
      if (end > i + 1) this.list.delete(i + 1, end - (i + 1));
      end = i;
    }
  }
}

function isEntry(value: unknown): value is ScarceEntry {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

/** Values are JSON: equal when their JSON is (key order included, which only makes a needless rewrite). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
