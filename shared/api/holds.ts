import { z } from 'zod';
import { storeAcknowledgementSchema } from './acknowledgement.ts';
import { contactSchema, customerSchema, quantitySchema, skuSchema, slugSchema } from './common.ts';

export const createHoldSchema = z
  .object({ storeId: slugSchema, sku: skuSchema, quantity: quantitySchema.max(20), customer: customerSchema })
  .strict();
export type CreateHoldRequest = z.infer<typeof createHoldSchema>;

/**
 * held: units reserved, waiting for the customer to confirm before `expiresAt`;
 * confirmed: waiting for staff; picked: set aside; fulfilled: handed over;
 * cancelled / expired: units released.
 */
export const HOLD_STATUSES = ['held', 'confirmed', 'picked', 'fulfilled', 'cancelled', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const holdStatusSchema = z.enum(HOLD_STATUSES);

/** A hold as its customer sees it: the customer's name only, never their contact details. */
export const holdViewSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  status: holdStatusSchema,
  createdAt: z.number(),
  expiresAt: z.number(),
  confirmedAt: z.number().optional(),
  acknowledgedAt: z.number().optional(),
  acknowledgedBy: z.string().optional().describe('The tablet that acknowledged it'),
  acceptedAt: z.number().optional(),
  pickedAt: z.number().optional(),
  fulfilledAt: z.number().optional(),
  releasedAt: z.number().optional(),
  customer: z.object({ name: z.string() }).strict(),
});
export type HoldView = z.infer<typeof holdViewSchema>;

/** The answer to POST /api/holds: the hold and the secret that manages it. */
export const createdHoldSchema = holdViewSchema.extend({ manageToken: z.string() });
export type CreatedHold = z.infer<typeof createdHoldSchema>;

/** `GET /api/holds/:holdId`: the hold and whether the store itself has received it. */
export const customerHoldSchema = holdViewSchema.extend({ storeAcknowledgement: storeAcknowledgementSchema });
export type CustomerHold = z.infer<typeof customerHoldSchema>;

/** Staff see who the customer is, to hand the goods to the right person. */
export const staffHoldSchema = holdViewSchema.extend({ customer: contactSchema });
export type StaffHold = z.infer<typeof staffHoldSchema>;

export const staffHoldListSchema = z.object({ holds: z.array(staffHoldSchema) });
