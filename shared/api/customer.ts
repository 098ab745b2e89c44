import { z } from 'zod';
import { customerSchema } from './common.ts';

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
  total: z.number().int().describe('Matches in all, over every page'),
  offset: z.number().int().describe('The index of the first product of this page among all matches'),
});
export const productSearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Words in any order; small misspellings and words run together still match'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** What a live availability event carries: counts only, never a person's data. */
export const availabilityEventSchema = z.object({
  storeId: z.string(),
  sku: z.string(),
  available: z.number().int(),
  updatedAt: z.number(),
});
export type AvailabilityEvent = z.infer<typeof availabilityEventSchema>;

/**
 * `POST /api/events/:eventId/booking-link-requests` (issue 16 §2): a customer who lost the link
 * to their booking asks for it again, sent to the email or phone they give. The answer is the
 * same whether or not that contact has a booking, so it reveals nothing to anyone else.
 */
export const bookingLinkRequestSchema = z.object({ customer: customerSchema }).strict();
export const bookingLinkRequestAnswerSchema = z.object({
  status: z.literal('recorded'),
  delivery: z
    .enum(['not_sent_yet'])
    .describe('not_sent_yet: the request is kept, and sent once the shop sends messages (notifications)'),
});
export type BookingLinkRequestAnswer = z.infer<typeof bookingLinkRequestAnswerSchema>;
