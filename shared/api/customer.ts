import { z } from 'zod';

/** One store's units of a product that a customer may reserve now (no internal counters). */
export const storeAvailabilitySchema = z.object({
  storeId: z.string(),
  available: z.number().int(),
  updatedAt: z.number(),
});

/** `GET /api/products/:sku/availability`: every store that carries the product. */
export const productAvailabilitySchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  priceLabel: z.string(),
  stores: z.array(storeAvailabilitySchema),
});
export type ProductAvailability = z.infer<typeof productAvailabilitySchema>;

/** One product of the search across all stores. */
export const productMatchSchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  priceLabel: z.string(),
  /** Units available for pickup, all stores together. */
  available: z.number().int(),
  /** How many stores carry it. */
  stores: z.number().int(),
});

export const productSearchSchema = z.object({
  products: z.array(productMatchSchema),
  total: z.number().int(),
});
export const productSearchQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** What a live availability event carries: counts only, never a person's data. */
export const availabilityEventSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  available: z.number().int(),
  updatedAt: z.number(),
});
export type AvailabilityEvent = z.infer<typeof availabilityEventSchema>;
