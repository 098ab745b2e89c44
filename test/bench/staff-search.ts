/**
 * Issue 8.10: the staff product list with 10,000 products. Times what a keystroke costs on
 * the tablet: the search over every product (client/staff/product-search.ts), and, once per
 * document change, building the rows from the store document. The list itself is virtual
 * (only the rows on screen are drawn), so the search is the part that grows with the catalog.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { productRows, searchProducts } from '../../client/staff/product-search.ts';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';

export interface StaffSearchResult {
  products: number;
  keystrokes: number;
  buildRowsMs: number;
  searchP50Ms: number;
  searchP99Ms: number;
  searchMaxMs: number;
}

const WORDS = ['case', 'cable', 'charger', 'screen', 'kit', 'band', 'lens', 'stand', 'dock', 'mount'];
const COLORS = ['black', 'white', 'red', 'blue', 'clear', 'green', 'silver', 'gold'];

function catalog(products: number): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
  doc.transact(() => {
    for (let i = 0; i < products; i++) {
      const entry = new Y.Map<string>();
      const word = WORDS[i % WORDS.length] ?? 'item';
      const color = COLORS[(i * 7) % COLORS.length] ?? 'plain';
      entry.set('name', `${color} ${word} ${i}`);
      entry.set('shelf', `${String.fromCharCode(65 + (i % 26))}-${i % 40}`);
      entry.set('category', word);
      map.set(`SKU-${String(i).padStart(5, '0')}`, entry);
    }
  });
  return doc;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Searches as staff type ("b", "bl", "blu", "blue", "blue c"...) over `products` products. */
export async function runStaffSearchBench(
  log: (line: string) => void = () => {},
  products = 10_000,
): Promise<StaffSearchResult> {
  const doc = catalog(products);
  const buildStart = performance.now();
  const rows = productRows(doc);
  const buildRowsMs = performance.now() - buildStart;
  const queries: string[] = [];
  for (const phrase of [
    'blue case',
    'sku-0999',
    'charger 12',
    'b-7',
    'gold lens 4',
    'nothing matches this',
  ]) {
    for (let n = 1; n <= phrase.length; n++) queries.push(phrase.slice(0, n));
  }
  // Warm up the JIT the way a tablet warms up after its first few keystrokes.
  for (const q of queries.slice(0, 20)) searchProducts(rows, q);
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const start = performance.now();
      searchProducts(rows, q);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const result: StaffSearchResult = {
    products,
    keystrokes: times.length,
    buildRowsMs: Math.round(buildRowsMs * 10) / 10,
    searchP50Ms: Math.round(percentile(times, 50) * 100) / 100,
    searchP99Ms: Math.round(percentile(times, 99) * 100) / 100,
    searchMaxMs: Math.round((times.at(-1) ?? 0) * 100) / 100,
  };
  log(
    `staff product search, ${products} products: p50 ${result.searchP50Ms} ms, p99 ${result.searchP99Ms} ms, ` +
      `max ${result.searchMaxMs} ms per keystroke (${result.keystrokes} keystrokes); rows built in ${result.buildRowsMs} ms`,
  );
  doc.destroy();
  return result;
}
