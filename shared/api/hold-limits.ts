import { z } from 'zod';
import { skuSchema } from './common.ts';

/** The hold request's own ceiling (shared/api/holds.ts): a per-product cap never exceeds it. */
export const MAX_PER_HOLD_CEILING = 20;
/**
 * Units one customer may reserve of a product in one hold unless an admin set another number:
 * the request's ceiling, so nothing changes for products nobody capped; admins lower it for
 * the scarce ones (a launch: 1 or 2).
 */
export const DEFAULT_MAX_PER_HOLD = MAX_PER_HOLD_CEILING;

export const holdLimitSchema = z
  .object({ maxPerHold: z.number().int().min(1).max(MAX_PER_HOLD_CEILING) })
  .strict()
  .describe('How many units of the product one customer may reserve in one hold');

export const holdLimitViewSchema = z.object({
  sku: skuSchema,
  maxPerHold: z.number().int(),
  isDefault: z.boolean().describe('True when no admin set a number for this product'),
});
export type HoldLimitView = z.infer<typeof holdLimitViewSchema>;
