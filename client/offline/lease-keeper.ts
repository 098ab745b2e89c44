import type { LocalLease, SaleRecord } from './db.ts';
import { planLeases } from './lease-policy.ts';
import type { NewAction } from './outbox.ts';

/**
 * Runs the automatic lease rule (lease-policy.ts) against what the tablet knows and returns
 * the actions to queue. The rule sees only accepted sales and only its own part of each lease.
 */
export function leasePolicyActions(input: {
  now: number;
  sales: SaleRecord[];
  leases: Record<string, LocalLease>;
  available: Record<string, number>;
}): NewAction[] {
  const leases: Record<string, number> = {};
  const keptByHand: Record<string, number> = {};
  for (const lease of Object.values(input.leases)) {
    leases[lease.sku] = lease.quantity;
    keptByHand[lease.sku] = lease.keptByHand ?? 0;
  }
  const steps = planLeases({
    now: input.now,
    sales: input.sales,
    leases,
    keptByHand,
    available: input.available,
  });
  return steps.map((step) =>
    'take' in step
      ? {
          command: { name: 'lease.take', args: { sku: step.sku, quantity: step.take } },
          label: `Keep ${step.take} × ${step.sku} for offline selling (automatic)`,
          leaseBy: 'policy',
        }
      : {
          command: { name: 'lease.report', args: { sku: step.sku, actions: [], returnQuantity: step.give } },
          label: `Give back ${step.give} × ${step.sku} kept for offline selling (automatic)`,
          leaseBy: 'policy',
        },
  );
}

/**
 * The lease as it stands after the server confirmed a change. Staff's own part grows when
 * they keep units, goes when they give back, and never exceeds the lease.
 */
export function confirmLease(
  before: LocalLease | undefined,
  server: { sku: string; quantity: number; expiresAt: number },
  change: { by: 'staff' | 'policy' | undefined; took: number; gaveBack: boolean },
  now: number,
): LocalLease {
  let byHand = before && before.expiresAt > now ? (before.keptByHand ?? 0) : 0;
  if (change.by === 'staff') byHand = change.gaveBack ? 0 : byHand + change.took;
  return {
    sku: server.sku,
    quantity: server.quantity,
    expiresAt: server.expiresAt,
    confirmedAt: now,
    keptByHand: Math.min(byHand, server.quantity),
  };
}
