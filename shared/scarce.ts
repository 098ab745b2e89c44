import { z } from 'zod';
import { BOOKING_STATUSES } from './api/bookings.ts';
import { HOLD_STATUSES } from './api/holds.ts';

/**
 * The server-written `scarce` part of a store document (shared/store-doc.ts): its keys, and
 * the shape of each value, parsed on read. One key per product, per open hold and per booking,
 * so a change rewrites one small value, never a whole list.
 *
 *   'v'              -> SCARCE_VERSION (a tablet ignores keys of a layout it does not know)
 *   'asOf'           -> ms, server time of the last projection
 *   'stock:<sku>'    -> ScarceStock
 *   'hold:<id>'      -> ScarceHold     open holds only (held, confirmed, picked)
 *   'booking:<id>'   -> ScarceBooking  the store's bookings of today and tomorrow, store time
 */
export const SCARCE_VERSION = 2;

export const scarceKeys = {
  version: 'v',
  asOf: 'asOf',
  stock: (sku: string) => `stock:${sku}`,
  hold: (holdId: string) => `hold:${holdId}`,
  booking: (bookingId: string) => `booking:${bookingId}`,
} as const;

const PREFIXES = { stock: 'stock:', hold: 'hold:', booking: 'booking:' } as const;

const count = z.number().int();
const time = z.number();
const staffCustomer = z.object({
  name: z.string(),
  email: z.string().exactOptional(),
  phone: z.string().exactOptional(),
});

export const scarceStockSchema = z.object({
  sku: z.string(),
  onHand: count,
  held: count,
  leased: count,
  available: count,
  shortfall: count,
  updatedAt: time,
});

export const scarceHoldSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  sku: z.string(),
  quantity: count,
  status: z.enum(HOLD_STATUSES),
  createdAt: time,
  expiresAt: time,
  confirmedAt: time.exactOptional(),
  acknowledgedAt: time.exactOptional(),
  acknowledgedBy: z.string().exactOptional(),
  acceptedAt: time.exactOptional(),
  pickedAt: time.exactOptional(),
  fulfilledAt: time.exactOptional(),
  releasedAt: time.exactOptional(),
  customer: staffCustomer,
});

export const scarceBookingSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  slotId: z.string(),
  storeId: z.string(),
  startsAt: time,
  status: z.enum(BOOKING_STATUSES),
  createdAt: time,
  acknowledgedAt: time.exactOptional(),
  checkedInAt: time.exactOptional(),
  noShowAt: time.exactOptional(),
  eventName: z.string().exactOptional(),
  cancelledAt: time.exactOptional(),
  customer: staffCustomer,
});

export type ScarceStock = z.infer<typeof scarceStockSchema>;
export type ScarceHold = z.infer<typeof scarceHoldSchema>;
export type ScarceBooking = z.infer<typeof scarceBookingSchema>;

/** The whole `scarce` part, as a tablet reads it. */
export interface ScarcePlane {
  /** undefined before the first sync, or for a document of an older layout. */
  version: number | undefined;
  asOf: number | undefined;
  stock: Record<string, ScarceStock>;
  holds: Record<string, ScarceHold>;
  bookings: Record<string, ScarceBooking>;
}

/**
 * Reads the plane from its `[key, value]` pairs (for each key, the one that wins). A value
 * that does not parse is left out rather than shown wrong: the server rewrites it.
 */
export function readScarcePlane(values: Iterable<[string, unknown]>): ScarcePlane {
  const plane: ScarcePlane = { version: undefined, asOf: undefined, stock: {}, holds: {}, bookings: {} };
  for (const [key, value] of values) {
    if (key === scarceKeys.version) plane.version = typeof value === 'number' ? value : undefined;
    else if (key === scarceKeys.asOf) plane.asOf = typeof value === 'number' ? value : undefined;
    else if (key.startsWith(PREFIXES.stock))
      addParsed(plane.stock, key.slice(PREFIXES.stock.length), scarceStockSchema, value);
    else if (key.startsWith(PREFIXES.hold))
      addParsed(plane.holds, key.slice(PREFIXES.hold.length), scarceHoldSchema, value);
    else if (key.startsWith(PREFIXES.booking))
      addParsed(plane.bookings, key.slice(PREFIXES.booking.length), scarceBookingSchema, value);
  }
  return plane;
}

function addParsed<T>(into: Record<string, T>, id: string, schema: z.ZodType<T>, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) into[id] = parsed.data;
}

/** Which kind of value a key holds, for the server's rebuild (every other key is stale). */
export function isScarceKey(key: string): boolean {
  return (
    key === scarceKeys.version ||
    key === scarceKeys.asOf ||
    Object.values(PREFIXES).some((prefix) => key.startsWith(prefix))
  );
}
