import type { StockView } from '../../shared/api/stock.ts';
import type { Deps } from '../deps.ts';
import type { Outcome } from '../redis/lua-script.ts';
import type { MutationContext } from '../redis/mutation.ts';
import { STOCK_CORE_ROLES, stockCoreKeys, storeKeys } from './keys.ts';
import type { StockRecord } from './stock-record.ts';
import { stockMutationPlan, stockScriptAt } from './stock-scripts.ts';
import { stockView } from './views.ts';

const adjustScript = stockScriptAt('adjust-stock', import.meta.url, {
  keys: ['idem', ...STOCK_CORE_ROLES, 'received', 'countedOut', 'sold', 'writtenOff'],
});

export type StockChange =
  | { kind: 'receive'; quantity: number; reason?: string | undefined }
  | { kind: 'count'; counted: number; lastSeen: number; reason?: string | undefined }
  | { kind: 'sale' | 'write_off'; quantity: number; reason?: string | undefined };

export interface StockChangeResult {
  stock: StockView;
  delta: number;
  shortfall: number;
}

/** Applies one staff change to on-hand, atomically and at most once per idempotency key. */
export async function changeStock(
  deps: Deps,
  storeId: string,
  sku: string,
  change: StockChange,
  ctx: MutationContext,
): Promise<Outcome<StockChangeResult>> {
  const amount = change.kind === 'count' ? change.counted : change.quantity;
  const lastSeen = change.kind === 'count' ? change.lastSeen : 0;
  const reason = change.reason ?? '';
  const k = storeKeys(storeId);
  const keys = {
    ...stockCoreKeys(k),
    idem: k.idempotency(ctx.idempotencyKey),
    received: k.received,
    countedOut: k.countedOut,
    sold: k.sold,
    writtenOff: k.writtenOff,
  };
  const outcome = await adjustScript.decideWithFreshKeys<{
    stock: StockRecord;
    delta: number;
    shortfall: number;
  }>(deps.redis, stockMutationPlan(deps, k, keys, ctx, [change.kind, sku, amount, lastSeen, reason]));
  if (!outcome.ok) return outcome;
  const { stock, delta, shortfall } = outcome.body;
  return { ...outcome, body: { stock: stockView(sku, stock), delta, shortfall } };
}
