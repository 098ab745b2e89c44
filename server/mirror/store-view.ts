import type { Redis } from 'ioredis';
import type { StockView } from '../../shared/api/stock.ts';
import type { Deps } from '../deps.ts';
import { storePrefix } from '../redis/keys.ts';
import { readStoreStock } from '../stock/catalog.ts';
import { listOpenHolds } from '../stock/holds.ts';

/** What tablets see of the scarce plane: the server's numbers, written into `scarce` of the store document. */
export interface StoreView {
  stock: Record<string, StockView>;
  holds: Record<string, unknown>;
  asOf: number;
}

/** Reads a store's scarce numbers and open pickup holds from Redis (expired holds released first). */
export async function readStoreView(deps: Deps, storeId: string): Promise<StoreView> {
  const [products, holds] = await Promise.all([readStoreStock(deps, storeId), listOpenHolds(deps, storeId)]);
  const stock: Record<string, StockView> = {};
  for (const [sku, p] of products) {
    stock[sku] = {
      sku,
      onHand: p.onHand,
      held: p.held,
      leased: p.leased,
      available: p.available,
      shortfall: p.shortfall,
      updatedAt: p.updatedAt,
    };
  }
  return { stock, holds: Object.fromEntries(holds.map((h) => [h.id, h])), asOf: Date.now() };
}

/**
 * Calls `onChange` after each batch of new entries in one stream (a store's audit stream
 * is the feed of every scarce change, DESIGN "Server"). One stream per watcher: streams of
 * different hash tags cannot share an XREAD on Redis Cluster. Uses its own connection,
 * because XREAD BLOCK holds it. Returns a function that stops watching.
 */
export function watchStream(
  redis: Redis,
  stream: string,
  onChange: (entries: number) => Promise<void> | void,
  onError: (error: unknown) => void = console.error,
): () => void {
  const reader = redis.duplicate();
  let stopped = false;
  let cursor = '$';
  const loop = async () => {
    while (!stopped) {
      try {
        const reply = (await reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', stream, cursor)) as
          | [string, [string, string[]][]][]
          | null;
        const items = reply?.[0]?.[1] ?? [];
        const last = items.at(-1);
        if (!last || stopped) continue;
        cursor = last[0];
        await onChange(items.length);
      } catch (error) {
        if (stopped) return;
        onError(error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  void loop();
  return () => {
    stopped = true;
    reader.disconnect();
  };
}

export function storeAuditStream(storeId: string): string {
  return `${storePrefix(storeId)}audit`;
}
