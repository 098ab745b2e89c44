import { z } from 'zod';
import { quantitySchema, reasonSchema, skuSchema } from './common.ts';

/** One store's numbers for one product. available = onHand - held - leased (never below 0). */
export interface StockView {
  sku: string;
  onHand: number;
  held: number;
  leased: number;
  available: number;
  /** held + leased beyond what is on the shelf: a count found fewer units than are promised. */
  shortfall: number;
  /** When the server last changed these numbers (ms since epoch): the tablet's "as of". */
  updatedAt: number;
}

export interface ProductView extends StockView {
  name: string;
  category: string;
  priceLabel: string;
}

export const receiveStockSchema = z
  .object({ quantity: quantitySchema, reason: reasonSchema.optional() })
  .strict();

/** DESIGN rule 4: a count is "set to `counted`, given I last saw `lastSeen`", applied as a delta. */
export const countStockSchema = z
  .object({
    counted: z.number().int().min(0).max(1_000_000),
    lastSeen: z.number().int().min(0).max(1_000_000),
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

export interface LeaseView {
  deviceId: string;
  sku: string;
  quantity: number;
  expiresAt: number;
}

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
