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

/** The largest cap on units of a product one customer holds at once across stores. */
export const MAX_HELD_AT_ONCE_CEILING = 1_000;

export const holdLimitSchema = z
  .object({
    maxPerHold: z.number().int().min(1).max(MAX_PER_HOLD_CEILING),
    maxHeldAtOnce: z
      .number()
      .int()
      .min(1)
      .max(MAX_HELD_AT_ONCE_CEILING)
      .optional()
      .describe('Units one customer may hold at once over every store (a launch: 2); absent: no such cap'),
  })
  .strict()
  .describe('How many units of the product one customer may reserve in one hold, and hold at once');

export const holdLimitViewSchema = z.object({
  sku: skuSchema,
  maxPerHold: z.number().int(),
  isDefault: z.boolean().describe('True when no admin set a number for this product'),
  maxHeldAtOnce: z
    .number()
    .int()
    .optional()
    .describe('Units one customer may hold at once over every store, if an admin set it'),
});
export type HoldLimitView = z.infer<typeof holdLimitViewSchema>;
