import { z } from 'zod';
import type { BookingStatus, SlotView } from './bookings.ts';
import { dateSchema, skuSchema, slugSchema } from './common.ts';
import type { LeaseView } from './stock.ts';

/** The admin's controls (issue 7, section 3): tablets, slots, the audit log. */

export const tabletQuerySchema = z.object({ storeId: slugSchema.optional() });

export const renameTabletSchema = z.object({ name: z.string().trim().min(1).max(60) }).strict();

export interface TabletView {
  deviceId: string;
  storeId: string;
  name: string;
  enrolledAt: number;
  revokedAt?: number;
  state: 'active' | 'revoked';
  leases: LeaseView[];
}

export const slotListQuerySchema = z.object({ storeId: slugSchema.optional(), date: dateSchema.optional() });

/** A slot as admins see it: seats booked, and whether it was closed to new bookings. */
export interface AdminSlotView extends SlotView {
  booked: number;
  closedAt?: number;
}

export const slotCapacitySchema = z.object({ capacity: z.number().int().min(0).max(100_000) }).strict();
export const slotClosedSchema = z.object({ closed: z.boolean() }).strict();

/** A booking of one slot with the customer's name and contact (admins only). */
export interface SlotBookingView {
  id: string;
  status: BookingStatus;
  createdAt: number;
  acknowledgedAt?: number;
  checkedInAt?: number;
  customer: { name: string; email?: string; phone?: string };
}

export const AUDIT_ACTOR_ROLES = ['admin', 'staff', 'customer', 'system'] as const;
const millis = z.coerce.number().int().min(0);

/**
 * `GET /api/admin/audit`: the stores' and the events' audit streams merged, newest first.
 * `cursor` is where the previous page stopped (`<stream id>_<stream>`, e.g. `1763851234567-0_st:aiea`).
 */
export const adminAuditQuerySchema = z.object({
  source: z.enum(['all', 'stores', 'events']).default('all'),
  storeId: slugSchema.optional().describe('A store: its stream, and event entries at that store'),
  eventId: slugSchema.optional().describe('An event: its stream only'),
  sku: skuSchema.optional(),
  deviceId: z.string().max(40).optional().describe('A tablet: entries about it or made by it'),
  actor: z.enum(AUDIT_ACTOR_ROLES).optional(),
  type: z
    .string()
    .regex(/^[a-z_.]{1,60}$/, 'an entry type such as hold.created, or a prefix such as hold')
    .optional(),
  from: millis.optional().describe('Oldest time, ms since epoch'),
  to: millis.optional().describe('Newest time, ms since epoch'),
  cursor: z
    .string()
    .regex(/^\d+-\d+_(st|ev):[a-z0-9-]+$/, 'a cursor from a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AdminAuditQuery = z.infer<typeof adminAuditQuerySchema>;

export interface AdminAuditEntry {
  id: string;
  /** `st:<storeId>` or `ev:<eventId>`. */
  source: string;
  type: string;
  actor: unknown;
  at: number;
  data: Record<string, unknown>;
}

export interface AdminAuditPage {
  entries: AdminAuditEntry[];
  /** Pass back as `cursor` for older entries; null when the streams are read to their start. */
  nextCursor: string | null;
  /** Entries read to fill this page (filters skip the rest). */
  scanned: number;
}
