import { z } from 'zod';

/** A product's scarce numbers at a store. */
export const stockNumbersSchema = z.object({
  onHand: z.number().int(),
  held: z.number().int(),
  leased: z.number().int(),
});
export type StockNumbers = z.infer<typeof stockNumbersSchema>;

/** One entry of the ledger, named. */
export const ledgerEntryRefSchema = z.object({
  stream: z.string(),
  entryId: z.string(),
  type: z.string(),
  /** ms since the epoch. */
  at: z.number(),
});
export type LedgerEntryRef = z.infer<typeof ledgerEntryRefSchema>;

/** A product whose numbers in Redis are not what the ledger rebuilds. */
export const driftSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  redis: stockNumbersSchema,
  ledger: stockNumbersSchema,
  /**
   * The last entry of this product at which the ledger and the numbers it recorded agreed:
   * the change that made them differ came after it. Null when the ledger has no entry of it.
   */
  disagreeAfter: ledgerEntryRefSchema.nullable(),
  /** The first entry whose recorded numbers differ from the rebuild, when an entry shows it. */
  firstDisagreeing: ledgerEntryRefSchema.extend({ recorded: stockNumbersSchema }).optional(),
});
export type Drift = z.infer<typeof driftSchema>;

export const storeReconciliationSchema = z.object({
  storeId: z.string(),
  /** The newest entry of the store's stream taken into account (read with Redis's numbers, in one step). */
  checkedThrough: z.string().nullable(),
  entries: z.number().int(),
  products: z.number().int(),
  /**
   * False when entries were removed from Redis before they were archived (a stream older than
   * the ledger): numbers are then rebuilt from what the ledger has.
   */
  historyComplete: z.boolean(),
});

/** `GET /api/admin/reconciliation`: Redis's numbers against those rebuilt from the ledger. */
export const reconciliationSchema = z.object({
  ranAt: z.number(),
  /** `daily` or `on_demand`. */
  trigger: z.enum(['daily', 'on_demand']),
  stores: z.array(storeReconciliationSchema),
  drift: z.array(driftSchema),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;
