/**
 * Tolerant product search for customers (issue 16 §8): words in any order, small misspellings
 * ("powr bank"), words run together or apart ("powerbank" / "power bank"), and codes. A small
 * scorer over a few hundred products per shop, with no index to keep in step with the catalog;
 * a library such as MiniSearch matches misspelled words too, but not "powerbank" against
 * "Power Bank", which customers type.
 */

/** A searchable product: what a customer may type is in its name, category or code. */
export interface Searchable {
  sku: string;
  name: string;
  category: string;
}

/** Lower case, accents off, every run of other characters one space. */
function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Edits allowed for a word of this length: none for short words, one, then two. */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), stopping past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/** How well one typed word matches a product's words: 0 for no match, higher is closer. */
function wordScore(word: string, words: readonly string[], joined: string): number {
  let score = 0;
  for (const w of words) {
    if (w === word) return 4;
    if (w.startsWith(word) && word.length >= 2) score = Math.max(score, 3);
    else {
      const edits = allowedEdits(word.length);
      if (edits > 0 && editDistance(word, w.slice(0, word.length + edits), edits) <= edits) {
        score = Math.max(score, w.length <= word.length + edits ? 2 : 1);
      }
    }
  }
  // Words run together ("powerbank") are found in the product's words run together.
  if (score === 0 && word.length >= 4 && joined.includes(word)) score = 2;
  return score;
}

/**
 * The products matching `query`, best first: every typed word (or the words typed run
 * together) must match a word of the product's name, category or code.
 */
export function searchCatalog<T extends Searchable>(products: readonly T[], query: string): T[] {
  const words = normalize(query).split(' ').filter(Boolean);
  if (words.length === 0)
    return [...products].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const scored: { product: T; score: number }[] = [];
  for (const product of products) {
    const own = normalize(`${product.name} ${product.category} ${product.sku}`).split(' ');
    const joined = own.join('');
    let total = 0;
    for (const word of words) {
      const s = wordScore(word, own, joined);
      if (s === 0) {
        total = 0;
        break;
      }
      total += s;
    }
    // "power bank" typed as one word, misspelled a little: the typed words run together.
    if (total === 0 && words.length > 1) total = wordScore(words.join(''), [], joined);
    if (total > 0) scored.push({ product, score: total });
  }
  return scored
    .sort(
      (a, b) => b.score - a.score || a.product.name.localeCompare(b.product.name, 'en', { numeric: true }),
    )
    .map((s) => s.product);
}
