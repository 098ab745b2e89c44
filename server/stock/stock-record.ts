/**
 * A product's numbers as the store's stock hash keeps them (keys.ts `stock`): one field per
 * sku, the text `"<onHand> <held> <leased> <updatedAt>"`, integers separated by one space.
 * prelude.lua's `stock_of` and `stock_save` read and write the same text inside the scripts
 * (test/stock/stock-record.test.ts holds the two to each other).
 */

/** A product's numbers at a store; `updatedAt` is the server's time of the last change. */
export interface StockRecord {
  onHand: number;
  held: number;
  leased: number;
  updatedAt: number;
}

/** What a product without a field has: nothing on hand, nothing promised, never changed. */
export const NO_STOCK: StockRecord = Object.freeze({ onHand: 0, held: 0, leased: 0, updatedAt: 0 });

/** A field of the stock hash; none (a product never stocked) reads as zeros. */
export function parseStockRecord(packed: string | null | undefined): StockRecord {
  if (!packed) return NO_STOCK;
  const [onHand = 0, held = 0, leased = 0, updatedAt = 0] = packed.split(' ').map(Number);
  return { onHand, held, leased, updatedAt };
}

/** The field prelude.lua `stock_save` would write for `record`. */
export function packStockRecord({ onHand, held, leased, updatedAt }: StockRecord): string {
  for (const n of [onHand, held, leased, updatedAt])
    if (!Number.isSafeInteger(n)) throw new Error(`a stock record holds integers, not ${n}`);
  return `${onHand} ${held} ${leased} ${updatedAt}`;
}
