import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { editProduct, readFieldEdit, readProduct } from '../../client/offline/store-doc.ts';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';

const A = { deviceId: 'dev-a', deviceName: 'Tablet A', at: 1 };
const B = { deviceId: 'dev-b', deviceName: 'Tablet B', at: 2 };

/** Two tablets that start from the same document and exchange their changes afterwards. */
function twoTablets(seed: (doc: Y.Doc) => void = () => {}) {
  const origin = new Y.Doc();
  origin.transact(() => {
    const entry = new Y.Map<string>();
    entry.set('name', 'Clear case');
    origin.getMap<Y.Map<string>>(PRODUCTS_MAP).set('CASE', entry);
  });
  seed(origin);
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, Y.encodeStateAsUpdate(origin));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(origin));
  const exchange = () => {
    const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
    const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    Y.applyUpdate(b, fromA);
    Y.applyUpdate(a, fromB);
  };
  return { a, b, exchange };
}

describe('product edits on two tablets (issue 8.8)', () => {
  it('keeps both tablets’ notes when both write one at the same time', () => {
    const { a, b, exchange } = twoTablets();
    editProduct(a, 'CASE', 'notes', 'Offline note from A.', A);
    editProduct(b, 'CASE', 'notes', 'Online note from B.', B);
    exchange();
    const notes = readProduct(a, 'CASE')?.notes ?? '';
    expect(notes).toContain('Offline note from A.');
    expect(notes).toContain('Online note from B.');
    expect(readProduct(b, 'CASE')?.notes).toBe(notes);
  });

  it('merges edits to different parts of one description', () => {
    const { a, b, exchange } = twoTablets();
    editProduct(a, 'CASE', 'description', 'A clear case. Fits most phones.', A);
    exchange();
    editProduct(a, 'CASE', 'description', 'A sturdy clear case. Fits most phones.', A);
    editProduct(b, 'CASE', 'description', 'A clear case. Fits most phones. Wireless charging works.', B);
    exchange();
    expect(readProduct(a, 'CASE')?.description).toBe(
      'A sturdy clear case. Fits most phones. Wireless charging works.',
    );
  });

  it('moves a note written before this version into the text on its first edit', () => {
    const { a } = twoTablets((doc) =>
      doc.getMap<Y.Map<string>>(PRODUCTS_MAP).get('CASE')?.set('notes', 'Old note'),
    );
    expect(readProduct(a, 'CASE')?.notes).toBe('Old note');
    editProduct(a, 'CASE', 'notes', 'Old note, updated', A);
    expect(readProduct(a, 'CASE')?.notes).toBe('Old note, updated');
  });

  it('keeps one shelf location (last writer wins) and records which tablet set it', () => {
    const { a, b, exchange } = twoTablets();
    editProduct(a, 'CASE', 'shelf', 'C-3', A);
    editProduct(b, 'CASE', 'shelf', 'D-4', B);
    exchange();
    const shelf = readProduct(a, 'CASE')?.shelf;
    expect(readProduct(b, 'CASE')?.shelf).toBe(shelf);
    const edit = readFieldEdit(a, 'CASE', 'shelf');
    expect(edit).toEqual(shelf === 'C-3' ? A : B);
  });
});
