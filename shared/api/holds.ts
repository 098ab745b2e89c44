import { z } from 'zod';
import { customerSchema, quantitySchema, skuSchema, slugSchema } from './common.ts';

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

export interface HoldView {
  id: string;
  storeId: string;
  sku: string;
  quantity: number;
  status: HoldStatus;
  createdAt: number;
  expiresAt: number;
  confirmedAt?: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  acceptedAt?: number;
  pickedAt?: number;
  fulfilledAt?: number;
  releasedAt?: number;
  customer: { name: string };
}

/** The answer to POST /api/holds: the hold and the secret that manages it. */
export interface CreatedHold extends HoldView {
  manageToken: string;
}
