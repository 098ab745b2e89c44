import type { HoldStatus, HoldView, StaffHold } from '../../shared/api/holds.ts';
import type { StockView } from '../../shared/api/stock.ts';
import { availableOf, shortfallOf } from '../../shared/stock-math.ts';
import type { StockRecord } from './stock-record.ts';

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

/** A product's numbers as staff and the admin see them, with what they imply. */
export function stockView(sku: string, counts: StockRecord): StockView {
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
