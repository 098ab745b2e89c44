import type { HoldStatus, HoldView, StaffHold } from '../../shared/api/holds.ts';
import type { StockView } from '../../shared/api/stock.ts';
import { availableOf, shortfallOf } from '../../shared/stock-math.ts';

/** A hold as Redis stores it (all fields strings, or numbers when they come back from Lua). */
export type HoldRecord = Record<string, string | number | undefined>;

const optionalNumbers = [
  'confirmedAt',
  'acknowledgedAt',
  'acceptedAt',
  'pickedAt',
  'fulfilledAt',
  'releasedAt',
] as const;

export function holdView(storeId: string, h: HoldRecord): HoldView {
  const customer = JSON.parse(String(h.customer ?? '{}')) as { name?: string };
  const view: HoldView = {
    id: String(h.id),
    storeId,
    sku: String(h.sku),
    quantity: Number(h.quantity),
    status: String(h.status) as HoldStatus,
    createdAt: Number(h.createdAt),
    expiresAt: Number(h.expiresAt),
    customer: { name: customer.name ?? '' },
  };
  for (const field of optionalNumbers) {
    const value = h[field];
    if (value !== undefined && value !== '') view[field] = Number(value);
  }
  if (h.acknowledgedBy) view.acknowledgedBy = String(h.acknowledgedBy);
  return view;
}

/** Staff see who the customer is, to hand the goods to the right person. */
export function holdViewForStaff(storeId: string, h: HoldRecord): StaffHold {
  // create-hold stored the customer as validated by createHoldSchema: the name is always there.
  const customer = JSON.parse(String(h.customer ?? '{}')) as StaffHold['customer'];
  return { ...holdView(storeId, h), customer };
}

/** Counts as a script or a read returns them; `updatedAt` is the server's time of the last change. */
export interface StockCounts {
  onHand: number;
  held: number;
  leased: number;
  updatedAt: number;
}

const NO_STOCK: StockCounts = { onHand: 0, held: 0, leased: 0, updatedAt: 0 };

/** A field of the store's stock hash (keys.ts `stock`, prelude.lua stock_of); none reads as zeros. */
export function parseStockRecord(packed: string | null | undefined): StockCounts {
  if (!packed) return NO_STOCK;
  const [onHand = 0, held = 0, leased = 0, updatedAt = 0] = packed.split(' ').map(Number);
  return { onHand, held, leased, updatedAt };
}

export function stockView(sku: string, counts: StockCounts): StockView {
  return {
    sku,
    onHand: counts.onHand,
    held: counts.held,
    leased: counts.leased,
    available: availableOf(counts),
    shortfall: shortfallOf(counts),
    updatedAt: counts.updatedAt,
  };
}

/** cjson encodes an empty Lua array as `{}`: read it back as []. */
export function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
