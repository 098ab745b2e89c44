import { z } from 'zod';
import { auditEventSchema } from '../audit-events.ts';
import { quantitySchema, reasonSchema, skuSchema } from './common.ts';

/** One store's numbers for one product. available = onHand - held - leased (never below 0). */
export const stockViewSchema = z.object({
  sku: z.string(),
  onHand: z.number().int(),
  held: z.number().int(),
  leased: z.number().int(),
  available: z.number().int(),
  shortfall: z
    .number()
    .int()
    .describe('held + leased beyond what is on the shelf: a count found fewer units than are promised'),
  updatedAt: z
    .number()
    .describe('When the server last changed these numbers (ms since epoch): the tablet’s "as of"'),
});
export type StockView = z.infer<typeof stockViewSchema>;

export const productViewSchema = stockViewSchema.extend({
  name: z.string(),
  category: z.string(),
  priceLabel: z.string(),
});
export type ProductView = z.infer<typeof productViewSchema>;

/** `GET /api/admin/stores/:storeId/products`: one page of matches, with every counter, and how many matched in all. */
export const productListSchema = z.object({ products: z.array(productViewSchema), total: z.number().int() });

/** A product as customers see it: what they may reserve now; held, leased and shortfall stay internal. */
export const publicProductSchema = productViewSchema.pick({
  sku: true,
  name: true,
  category: true,
  priceLabel: true,
  available: true,
  updatedAt: true,
});
export type PublicProduct = z.infer<typeof publicProductSchema>;

/** `GET /api/stores/:storeId/products`: one page of matches and how many matched in all. */
export const publicProductListSchema = z.object({
  products: z.array(publicProductSchema),
  total: z.number().int(),
});

export const receiveStockSchema = z
  .object({ quantity: quantitySchema, reason: reasonSchema.optional() })
  .strict();

/** DESIGN rule 4: a count is "set to `counted`, given I last saw `lastSeen`", applied as a delta. */
export const countStockSchema = z
  .object({
    counted: z.number().int().min(0).max(1_000_000),
    lastSeen: z.number().int().min(0).max(1_000_000),
    /** Why the shelf differs from what was expected (damaged, theft, miscount...): kept in the audit. */
    reason: reasonSchema.optional(),
  })
  .strict();

export const removeStockSchema = z
  .object({ quantity: quantitySchema, reason: reasonSchema.optional() })
  .strict();

export const takeLeaseSchema = z.object({ sku: skuSchema, quantity: quantitySchema.max(1000) }).strict();

export const leaseActionSchema = z
  .object({
    /** The idempotency key the tablet made when the person sold or wrote off offline. */
    id: z.string().min(8).max(100),
    kind: z.enum(['sale', 'write_off']),
    quantity: quantitySchema,
    at: z.number().int().positive(),
    reason: reasonSchema.optional(),
  })
  .strict();
export type LeaseAction = z.infer<typeof leaseActionSchema>;

export const reportLeaseSchema = z
  .object({
    actions: z.array(leaseActionSchema).max(500),
    /** Units to give back to the store's pool after the actions are applied. */
    returnQuantity: z.number().int().min(0).max(100_000),
  })
  .strict();

/** Units a tablet took from the store's pool to sell offline, until `expiresAt`. */
export const leaseViewSchema = z.object({
  deviceId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  expiresAt: z.number(),
});
export type LeaseView = z.infer<typeof leaseViewSchema>;

export const leaseListSchema = z.object({ leases: z.array(leaseViewSchema) });
export type LeaseList = z.infer<typeof leaseListSchema>;

/** The answer to taking a lease. */
export const leaseTakenSchema = z.object({ lease: leaseViewSchema, stock: stockViewSchema });

/** The answer to a lease report: which offline actions applied, which were already applied. */
export const leaseReportSchema = z.object({
  applied: z.array(z.string()),
  skipped: z.array(z.string()),
  returned: z.number().int(),
  lease: leaseViewSchema,
  stock: stockViewSchema,
  shortfall: z.number().int(),
});

/** The answer to a receive, count, sale or write-off. */
export const stockChangeResultSchema = z.object({
  stock: stockViewSchema,
  delta: z.number().int().describe('The change applied to on-hand'),
  shortfall: z.number().int(),
});

/** The answer to a product import. */
export const productImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  replayed: z.boolean().describe('Every batch was imported before (the same request again): nothing changed'),
});

/** One entry of a store's audit stream: a typed event (shared/audit-events.ts). */
export const auditEntrySchema = auditEventSchema;
export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });

export const productImportSchema = z
  .object({
    products: z
      .array(
        z
          .object({
            sku: skuSchema,
            name: z.string().trim().min(1).max(200),
            category: z.string().trim().max(100).default(''),
            priceLabel: z.string().trim().max(40).default(''),
            onHand: z.number().int().min(0).max(1_000_000).default(0),
          })
          .strict(),
      )
      .min(1)
      .max(20_000),
  })
  .strict();
export type ProductImport = z.infer<typeof productImportSchema>;

/** `GET /api/stores/:storeId/products?q=&limit=`. */
export const productQuerySchema = z.object({
  q: z.string().max(100).optional().describe('Part of the sku, name or category'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `?limit=` of the audit log endpoints. */
export const auditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
