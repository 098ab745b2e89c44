/**
 * The tablet's lease policy (DESIGN rule 3), pure so it can be tested and explained:
 *
 * - A product this tablet sold in the last 7 days gets a target lease of
 *   ceil(units sold in 7 days / 7), the average day, at least 1 and at most MAX_LEASE.
 * - A lease is only taken while the store keeps at least RESERVE_FOR_OTHERS units
 *   available beyond it: a tablet never takes the last units from web customers.
 * - A product with no sale in 7 days has its lease returned.
 * - Leases are topped up when below target and trimmed when above it, so units sit idle
 *   on a tablet only as long as they are likely to sell.
 * - Units staff kept by hand are not the rule's: it neither counts them towards its target
 *   nor gives them back (issue 8.1). It only adds or returns its own part.
 * - Only sales the server accepted feed it (issue 8.3): a refused sale is not demand.
 */
export const MAX_LEASE = 5;
export const RESERVE_FOR_OTHERS = 2;
export const SALES_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface LeasePlanInput {
  now: number;
  sales: { sku: string; quantity: number; at: number }[];
  leases: Record<string, number>;
  /** Of `leases`, the units staff kept by hand, per product. */
  keptByHand?: Record<string, number>;
  available: Record<string, number>;
}

export type LeaseStep = { sku: string; take: number } | { sku: string; give: number };

export function leaseTarget(unitsSoldIn7Days: number): number {
  if (unitsSoldIn7Days <= 0) return 0;
  return Math.min(MAX_LEASE, Math.max(1, Math.ceil(unitsSoldIn7Days / 7)));
}

/** What to take and give back now, per product. */
export function planLeases(input: LeasePlanInput): LeaseStep[] {
  const sold = new Map<string, number>();
  for (const sale of input.sales) {
    if (input.now - sale.at <= SALES_WINDOW_MS) sold.set(sale.sku, (sold.get(sale.sku) ?? 0) + sale.quantity);
  }
  const skus = new Set([...sold.keys(), ...Object.keys(input.leases)]);
  const steps: LeaseStep[] = [];
  for (const sku of [...skus].sort()) {
    // Only the rule's own part is planned; what staff kept by hand stays as it is.
    const byHand = Math.min(input.keptByHand?.[sku] ?? 0, input.leases[sku] ?? 0);
    const have = (input.leases[sku] ?? 0) - byHand;
    const target = leaseTarget(sold.get(sku) ?? 0);
    if (have > target) {
      steps.push({ sku, give: have - target });
    } else if (have < target) {
      const spare = (input.available[sku] ?? 0) - RESERVE_FOR_OTHERS;
      const take = Math.min(target - have, spare);
      if (take > 0) steps.push({ sku, take });
    }
  }
  return steps;
}

export type OfflineSaleCheck =
  | { ok: true; remaining: number }
  | { ok: false; remaining: number; reason: string };

/** The tablet's clock may be off: a lease counts as ended this long before the server ends it. */
export const LEASE_CLOCK_MARGIN_MS = 5 * 60 * 1000;

/**
 * When this tablet stops selling a lease offline: its end less the clock margin. Every screen
 * that names the end shows this time, online and offline alike (issue 15 §7).
 */
export function offlineSellingEndsAt(
  lease: { expiresAt: number },
  clockMarginMs = LEASE_CLOCK_MARGIN_MS,
): number {
  return lease.expiresAt - clockMarginMs;
}

export type OfflineAllowance =
  | { state: 'none'; remaining: 0 }
  | { state: 'ended'; remaining: 0 }
  | { state: 'open'; remaining: number; endsAt: number };

/**
 * How many more units this tablet may sell or write off offline: what is left of its lease,
 * and nothing once the lease ends (the tablet's clock, with a margin). The one place that
 * decides it: the offline check and the screen's "may sell N more" both read it.
 */
export function offlineAllowance(
  lease: { quantity: number; expiresAt: number } | undefined,
  usedOffline: number,
  now: number,
  clockMarginMs = LEASE_CLOCK_MARGIN_MS,
): OfflineAllowance {
  if (!lease || lease.quantity <= 0) return { state: 'none', remaining: 0 };
  const endsAt = offlineSellingEndsAt(lease, clockMarginMs);
  if (now > endsAt) return { state: 'ended', remaining: 0 };
  return { state: 'open', remaining: Math.max(0, lease.quantity - usedOffline), endsAt };
}

/** May this tablet sell or write off `quantity` units while offline? (see offlineAllowance) */
export function checkOfflineSale(
  lease: { quantity: number; expiresAt: number } | undefined,
  usedOffline: number,
  quantity: number,
  now: number,
  clockMarginMs = LEASE_CLOCK_MARGIN_MS,
): OfflineSaleCheck {
  const allowance = offlineAllowance(lease, usedOffline, now, clockMarginMs);
  if (allowance.state === 'none') {
    return {
      ok: false,
      remaining: 0,
      reason: 'This tablet holds no units of this product for offline selling. Reconnect to sell it.',
    };
  }
  if (allowance.state === 'ended') {
    return {
      ok: false,
      remaining: 0,
      reason: 'This tablet’s offline allowance for this product has ended. Reconnect to sell it.',
    };
  }
  const remaining = allowance.remaining;
  if (quantity > remaining) {
    const units = remaining === 1 ? 'unit' : 'units';
    return {
      ok: false,
      remaining,
      reason: `Offline, this tablet may sell only ${remaining} more ${units} of this product.`,
    };
  }
  return { ok: true, remaining: remaining - quantity };
}
