import { describe, expect, it } from 'vitest';
import { editDistance, searchCatalog } from '../../server/customer/product-search.ts';
import { demoProducts } from '../../server/demo/catalog.ts';

const catalog = demoProducts(0).map((p) => ({ sku: p.sku, name: p.name, category: p.category }));
const names = (q: string) => searchCatalog(catalog, q).map((p) => p.name);

describe('the customers’ product search (issue 16 §8)', () => {
  it('finds words in any order, misspelled a little, run together or apart', () => {
    expect(names('kona 20k')).toEqual(['Kona Power Bank 20k']);
    expect(names('20k kona')).toEqual(['Kona Power Bank 20k']);
    expect(names('powr bank')).toContain('Kona Power Bank 10k');
    expect(names('powerbank')).toContain('Aloha Power Bank 20k');
    expect(names('power bank')).toEqual(names('powerbank'));
    expect(names('erabuds')).toContain('Kona Wireless Earbuds');
    expect(names('PWR-KONA-2')).toEqual(['Kona Power Bank 20k']);
  });

  it('finds nothing for words that are not there', () => {
    expect(names('toaster')).toEqual([]);
    expect(names('kona toaster')).toEqual([]);
  });

  it('counts swapped letters as one edit and stops early past the limit', () => {
    expect(editDistance('bnak', 'bank', 1)).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
