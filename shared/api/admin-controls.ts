import { z } from 'zod';
import { auditEventSchema } from '../audit-events.ts';
import { BOOKING_STATUSES } from './bookings.ts';
import { dateSchema, skuSchema, slugSchema } from './common.ts';
import { deviceSchema } from './enrollment.ts';
import { reportLeaseSchema } from './stock.ts';

/** The admin's controls (issue 7, section 3): tablets and their leases, slots, the audit log. */

export const deviceIdSchema = z.string().regex(/^[0-9A-Z]{26}$/, 'a tablet id');

export const tabletQuerySchema = z.object({ storeId: slugSchema.optional() });

export const renameTabletSchema = z.object({ name: z.string().trim().min(1).max(60) }).strict();

const leaseSchema = z.object({
  deviceId: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  expiresAt: z.number().int().describe('When the lease ends, ms since epoch'),
});

export const tabletSchema = z.object({
  deviceId: z.string(),
  storeId: z.string(),
  name: z.string(),
  enrolledAt: z.number().int(),
  revokedAt: z.number().int().optional(),
  state: z.enum(['active', 'revoked']),
  leases: z
    .array(leaseSchema)
    .describe('A revoked tablet’s leases are its units not yet reported: out of available until settled'),
});
export type TabletView = z.infer<typeof tabletSchema>;
export const tabletListSchema = z.object({ tablets: z.array(tabletSchema) });
export const renamedTabletSchema = z.object({ device: deviceSchema });

/** A store's numbers for one sku, as every stock answer carries them. */
const stockSchema = z.object({
  sku: z.string(),
  onHand: z.number().int(),
  held: z.number().int(),
  leased: z.number().int(),
  available: z.number().int(),
  shortfall: z.number().int(),
  updatedAt: z.number().int(),
});
export const leaseReturnedSchema = z.object({
  returned: z.number().int().describe('Units given back to the pool (0 when the tablet held none)'),
  stock: stockSchema,
});

/**
 * Issue 15 §1: what an admin decides about a revoked tablet's unreported units. `write_off`:
 * the tablet is lost with them (on hand and leased go down); `return`: they are on the shelf
 * (leased goes down, available up).
 */
export const SETTLEMENT_DECISIONS = ['write_off', 'return'] as const;
export type SettlementDecision = (typeof SETTLEMENT_DECISIONS)[number];
export const settleLeasesSchema = z.object({ decision: z.enum(SETTLEMENT_DECISIONS) }).strict();
export const settledLeasesSchema = z.object({
  decision: z.enum(SETTLEMENT_DECISIONS),
  units: z.number().int().describe('Units settled (0 when nothing was left: settled already, or reported)'),
  products: z.array(z.object({ sku: z.string(), quantity: z.number().int(), stock: stockSchema })),
});
export type SettledLeases = z.infer<typeof settledLeasesSchema>;

/** What revoking a tablet would mean, for the console to say before it asks (issue 15 §1). */
export const revocationPreviewSchema = z.object({
  lastActiveTablet: z.boolean().describe('No other active tablet at its store'),
  waitingPickups: z.number().int().describe('Customers’ pickups open at its store'),
  leasedUnits: z.number().int().describe('Units it keeps: they wait for its report or a settlement'),
});
export type RevocationPreview = z.infer<typeof revocationPreviewSchema>;

/** One action of a tablet's saved file (client/offline/tablet.ts unsentExport). */
const unsentActionSchema = z
  .object({
    label: z.string().max(500),
    idempotencyKey: z.string().min(8).max(100),
    command: z
      .object({
        name: z.string().max(40),
        args: z.record(z.string(), z.unknown()).describe('As the tablet saved it; checked per command'),
      })
      .strict(),
    madeAt: z.string().max(40).optional(),
    state: z.string().max(20).optional(),
    error: z.string().max(2000).optional(),
  })
  .strict();

/** `POST /api/admin/tablets/{deviceId}/import`: the file a revoked tablet saved, as it saved it. */
export const importUnsentSchema = z
  .object({
    exportedAt: z.string().max(40).optional(),
    storeId: z.string().max(100).optional(),
    deviceId: z.string().max(40).optional(),
    deviceName: z.string().max(100).optional(),
    actions: z.array(unsentActionSchema).max(5_000),
  })
  .strict();

/** The arguments of a saved `lease.report` command: the same report the tablet would send. */
export const savedLeaseReportSchema = reportLeaseSchema.extend({ sku: skuSchema });

export const IMPORT_OUTCOMES = ['applied', 'already_applied', 'refused', 'not_taken'] as const;
export const importResultSchema = z.object({
  results: z.array(
    z.object({
      label: z.string(),
      idempotencyKey: z.string(),
      outcome: z.enum(IMPORT_OUTCOMES),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  applied: z.number().int(),
  alreadyApplied: z.number().int(),
  refused: z.number().int(),
  notTaken: z
    .number()
    .int()
    .describe('Actions other than offline sales and write-offs: not taken from a revoked tablet'),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const slotListQuerySchema = z.object({ storeId: slugSchema.optional(), date: dateSchema.optional() });

/** A slot as admins see it: seats booked, and whether it was closed to new bookings. */
export const adminSlotSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  storeId: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  opensAt: z.number().int(),
  capacity: z.number().int(),
  remaining: z.number().int(),
  booked: z.number().int(),
  closedAt: z.number().int().optional().describe('Set while the slot is closed to new bookings'),
});
export type AdminSlotView = z.infer<typeof adminSlotSchema>;
export const adminSlotListSchema = z.object({ slots: z.array(adminSlotSchema) });
export const adminSlotAnswerSchema = z.object({ slot: adminSlotSchema });

export const slotCapacitySchema = z.object({ capacity: z.number().int().min(0).max(100_000) }).strict();
export const slotClosedSchema = z.object({ closed: z.boolean() }).strict();

/** A booking of one slot with the customer's name and contact (admins only). */
export const slotBookingSchema = z.object({
  id: z.string(),
  status: z.enum(BOOKING_STATUSES),
  createdAt: z.number().int(),
  acknowledgedAt: z.number().int().optional(),
  checkedInAt: z.number().int().optional(),
  customer: z.object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() }),
});
export type SlotBookingView = z.infer<typeof slotBookingSchema>;
export const slotBookingListSchema = z.object({ bookings: z.array(slotBookingSchema) });

/** `GET /api/admin/events/:eventId/slot-days`: the store-local days that have slots, for the day picker. */
export const slotDaysQuerySchema = z.object({ storeId: slugSchema.optional() });
export const slotDayListSchema = z.object({
  days: z.array(
    z.object({
      date: z.string().describe('YYYY-MM-DD in the slots’ stores’ own zones'),
      slots: z.number().int().describe('Slots starting that day, every store chosen together'),
    }),
  ),
});
export type SlotDay = z.infer<typeof slotDayListSchema>['days'][number];

/** `POST /api/admin/stores/:storeId/products/lookup`: which of these skus the store has, and their counts. */
export const productLookupSchema = z.object({ skus: z.array(skuSchema).max(20_000) }).strict();
export const productLookupResultSchema = z.object({
  products: z.array(z.object({ sku: z.string(), name: z.string(), onHand: z.number().int() })),
});
export type KnownProduct = z.infer<typeof productLookupResultSchema>['products'][number];

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

/** `GET /api/admin/audit/live`: new entries as they are written, with the same filters (no time range). */
export const adminAuditLiveQuerySchema = adminAuditQuerySchema.omit({
  cursor: true,
  limit: true,
  from: true,
  to: true,
});
export type AdminAuditLiveQuery = z.infer<typeof adminAuditLiveQuerySchema>;

/** One typed audit event (shared/audit-events.ts) with the log it is in and the names a person reads. */
export const adminAuditEntrySchema = z.intersection(
  auditEventSchema,
  z.object({
    source: z.string().describe('`st:<storeId>` or `ev:<eventId>`'),
    names: z
      .object({
        actor: z.string().describe('Who acted, by name: a tablet’s name, "Admin", "Customer", "System"'),
        product: z.string().optional().describe('The product’s name, for an event about one product'),
      })
      .optional(),
  }),
);
export type AdminAuditEntry = z.infer<typeof adminAuditEntrySchema>;

export const adminAuditPageSchema = z.object({
  entries: z.array(adminAuditEntrySchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass back as `cursor` for older entries; null when the streams are read to their start'),
  scanned: z.number().int().describe('Entries read to fill this page (filters skip the rest)'),
});
export type AdminAuditPage = z.infer<typeof adminAuditPageSchema>;
