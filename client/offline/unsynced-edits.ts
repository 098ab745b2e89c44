import type { ProductField } from '../../shared/store-doc.ts';
import type { MetaRecord, TabletDb } from './db.ts';

/** A product detail edited while the store document was not in sync with the server. */
export interface UnsyncedEdit {
  sku: string;
  field: ProductField;
  at: number;
}

/**
 * Edits of the store document (shelf, notes...) made while not in sync (issue 15 §7). Yjs
 * keeps the edit itself and sends it on the next sync; this list is only what the tablet
 * tells staff: such an edit waits to sync like an action in the outbox, until the document
 * is next in sync. Kept on disk, so an offline reload still shows it.
 */
export class UnsyncedEdits {
  private edits: UnsyncedEdit[] = [];

  constructor(private readonly db: TabletDb) {}

  get list(): UnsyncedEdit[] {
    return this.edits;
  }

  async load(): Promise<UnsyncedEdit[]> {
    const record = await this.db.meta.get('unsyncedEdits');
    this.edits = record?.key === 'unsyncedEdits' ? record.edits : [];
    return this.edits;
  }

  /** Records an edit; a second edit of the same field replaces the first. */
  async add(edit: UnsyncedEdit): Promise<UnsyncedEdit[]> {
    this.edits = [...this.edits.filter((e) => e.sku !== edit.sku || e.field !== edit.field), edit];
    await this.save();
    return this.edits;
  }

  /** The document was in sync after these edits: the server has them. */
  async clear(): Promise<UnsyncedEdit[]> {
    if (this.edits.length === 0) return this.edits;
    this.edits = [];
    await this.save();
    return this.edits;
  }

  private async save(): Promise<void> {
    const record: MetaRecord = { key: 'unsyncedEdits', edits: this.edits };
    await this.db.meta.put(record);
  }
}
