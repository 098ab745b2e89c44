import type { Redis } from 'ioredis';
import type { StockView } from '../../shared/api/stock.ts';
import type { Deps } from '../deps.ts';
import { storePrefix } from '../redis/keys.ts';
import { stockView } from '../stock/views.ts';

/**
 * Calls `onChange` after each batch of new entries in one stream (a store's audit stream
 * is the feed of every scarce change, DESIGN "Server"). One stream per watcher: streams of
 * different hash tags cannot share an XREAD on Redis Cluster. Uses its own connection,
 * because XREAD BLOCK holds it. Returns a function that stops watching.
 */
export interface StreamEntry {
  type: string;
  data: Record<string, unknown>;
}

export function watchStream(
  redis: Redis,
  stream: string,
  onChange: (entries: StreamEntry[]) => Promise<void> | void,
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
        await onChange(items.map(([, fields]) => parseEntry(fields)));
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

function parseEntry(fields: string[]): StreamEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] ?? ''] = fields[i + 1] ?? '';
  return { type: f.type ?? '', data: JSON.parse(f.data ?? '{}') as Record<string, unknown> };
}

/** The numbers of some products (or all when `skus` is undefined), for the tablets' mirror. */
export async function readStockOf(
  deps: Deps,
  storeId: string,
  skus?: string[],
): Promise<Record<string, StockView>> {
  const p = storePrefix(storeId);
  const hashes = ['onhand', 'held', 'leased', 'updated'].map((h) => `${p}${h}`);
  const names = skus ?? (await deps.redis.hkeys(`${p}catalog`));
  if (names.length === 0) return {};
  const pipeline = deps.redis.pipeline();
  for (const key of hashes) pipeline.hmget(key, ...names);
  const [onHand, held, leased, updated] = ((await pipeline.exec()) ?? []).map(
    ([, value]) => value as (string | null)[],
  );
  const stock: Record<string, StockView> = {};
  names.forEach((sku, i) => {
    stock[sku] = stockView(sku, {
      onHand: Number(onHand?.[i] ?? 0),
      held: Number(held?.[i] ?? 0),
      leased: Number(leased?.[i] ?? 0),
      updatedAt: Number(updated?.[i] ?? 0),
    });
  });
  return stock;
}

export function storeAuditStream(storeId: string): string {
  return `${storePrefix(storeId)}audit`;
}
