/**
 * Capacity math of one product at one store, once for the server's views, the tablets and
 * the model tests. prelude.lua's available_of and record_shortfall do the same sums inside
 * the atomic step (test/stock/stock-math.test.ts checks they agree).
 */
export interface StockCounts {
  onHand: number;
  held: number;
  leased: number;
}

/** Units that may still be held, leased or sold: on-hand minus what is promised, never below 0. */
export function availableOf(counts: StockCounts): number {
  return Math.max(0, counts.onHand - counts.held - counts.leased);
}

/** Units promised (held + leased) beyond what is on the shelf; 0 when the shelf covers them (DESIGN rule 4). */
export function shortfallOf(counts: StockCounts): number {
  return Math.max(0, counts.held + counts.leased - counts.onHand);
}
