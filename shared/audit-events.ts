import { z } from 'zod';
import {
  BOOKING_MARK_EVENT_TYPES,
  HOLD_STEP_EVENT_TYPES,
  LEASE_ACTION_EVENT_TYPES,
  STOCK_CHANGE_EVENT_TYPES,
  AUDIT_EVENT_TYPES as T,
} from './audit-event-types.ts';

export * from './audit-event-fields.ts';
export * from './audit-event-types.ts';

/**
 * The audit events: one schema per type, the union built from them, and the one parser every
 * reader uses (the projection, the live streams, the admin audit log and its CSV, the tablet's
 * hold log, the ledger). An entry is stored in its stream as the fields `type`, `actor` (JSON),
 * `at` (ms), `data` (JSON) and `v`, in that order, written by prelude.lua's audit() (and by
 * server/audit/record.ts for changes made outside a script).
 * Version 1 entries (before December 2026) have no `v` and no `stockAfter`.
 */
export const AUDIT_EVENT_VERSION = 2;

/** Who acted: a role, the tablet when staff acted, and later the person signed in on it. */
export const auditActorSchema = z.looseObject({
  role: z.enum(['admin', 'staff', 'customer', 'system']),
  deviceId: z.string().optional(),
  storeId: z.string().optional(),
  /** The person who acted (a staff member signed in on a tablet, a named admin), when known. */
  person: z.string().optional(),
});
export type AuditActor = z.infer<typeof auditActorSchema>;

/** A product's numbers right after the change, so a row of the ledger reads on its own. */
export const stockAfterSchema = z.object({
  onHand: z.number().int(),
  held: z.number().int(),
  leased: z.number().int(),
});
export type StockAfter = z.infer<typeof stockAfterSchema>;

/** Lists in the data that cjson writes as `{}` when empty (an empty Lua table): read as []. */
const LUA_LIST_FIELDS = ['products', 'stores', 'skus'];

const int = z.number().int();
const text = z.string();
/** Why, when someone said so (a count's or a write-off's reason); '' means none given. */
const reason = z.string().optional();
/** Present in every stock event written since version 2. */
const stockAfter = stockAfterSchema.optional();
const holdStatus = z.string();

const stockChange = {
  sku: text,
  delta: int,
  onHandBefore: int,
  onHandAfter: int,
  reason,
  counted: int.optional(),
  lastSeen: int.optional(),
  stockAfter,
};
const holdStep = {
  holdId: text,
  sku: text,
  quantity: int,
  statusBefore: holdStatus,
  statusAfter: holdStatus,
  stockAfter,
};
const leaseBack = { deviceId: text, sku: text, quantity: int, leaseAfter: int, stockAfter };
const leaseAction = {
  deviceId: text,
  sku: text,
  quantity: int,
  fromLease: int,
  actionId: text,
  actedAt: int,
  reason,
  stockAfter,
};
const bookingMark = { bookingId: text, slotId: text, storeId: text, statusBefore: text, statusAfter: text };
const bookingMove = {
  bookingId: text,
  storeId: text,
  fromSlot: text,
  toSlot: text,
  fromStore: text,
  toStore: text,
  fromBookedAfter: int,
  toBookedBefore: int,
  toBookedAfter: int,
};
const slotSeats = { slotId: text, storeId: text, booked: int };
const roomLine = { waiting: int };

/** The data of each event type. Extra fields are kept (a newer writer, an older reader). */
export const AUDIT_EVENT_DATA = {
  [STOCK_CHANGE_EVENT_TYPES.receive]: stockChange,
  [STOCK_CHANGE_EVENT_TYPES.count]: stockChange,
  [STOCK_CHANGE_EVENT_TYPES.sale]: stockChange,
  [STOCK_CHANGE_EVENT_TYPES.write_off]: stockChange,
  [T.stockShortfall]: { sku: text, shortfall: int, stockAfter },
  [T.holdCreated]: {
    holdId: text,
    sku: text,
    quantity: int,
    heldBefore: int,
    heldAfter: int,
    availableAfter: int,
    expiresAt: int.optional(),
    stockAfter,
  },
  [T.holdExpired]: { holdId: text, sku: text, quantity: int, stockAfter },
  [HOLD_STEP_EVENT_TYPES.confirm]: holdStep,
  [HOLD_STEP_EVENT_TYPES.cancel]: holdStep,
  [HOLD_STEP_EVENT_TYPES.ack]: holdStep,
  [HOLD_STEP_EVENT_TYPES.accept]: holdStep,
  [HOLD_STEP_EVENT_TYPES.pick]: holdStep,
  [HOLD_STEP_EVENT_TYPES.hand_over]: holdStep,
  [T.leaseTaken]: { deviceId: text, sku: text, quantity: int, leaseAfter: int, expiresAt: int, stockAfter },
  [T.leaseReturned]: leaseBack,
  [T.leaseRevoked]: leaseBack,
  [T.leaseExpired]: leaseBack,
  [LEASE_ACTION_EVENT_TYPES.sale]: leaseAction,
  [LEASE_ACTION_EVENT_TYPES.write_off]: leaseAction,
  /** A tablet was revoked: its leased units stay out of sale until reported or settled (issue 15 §1). */
  [T.leaseFrozen]: { deviceId: text, revokedAt: int, unreported: int, skus: z.array(text) },
  /** An admin decided what became of a revoked tablet's unreported units (issue 15 §1). */
  [T.leaseSettled]: {
    deviceId: text,
    sku: text,
    quantity: int,
    decision: z.enum(['write_off', 'return']).optional(),
    revokedAt: int.optional(),
    reason,
    stockAfter,
  },
  [T.catalogImported]: {
    created: int,
    updated: int,
    /** Each product of the batch with its numbers after the import (since version 2). */
    products: z
      .array(z.object({ sku: text, created: z.boolean(), onHand: int, held: int, leased: int }))
      .optional(),
  },
  [T.productLimitsChanged]: {
    sku: text,
    maxPerHold: int.optional(),
    maxHeldAtOnce: int.optional(),
    before: z.object({ maxPerHold: int.optional(), maxHeldAtOnce: int.optional() }).optional(),
  },
  [T.tabletEnrolled]: { deviceId: text, name: text },
  [T.tabletRenamed]: { deviceId: text, nameBefore: text, name: text },
  [T.tabletRevoked]: { deviceId: text, name: text.optional(), reason },
  [T.bookingCreated]: { bookingId: text, slotId: text, storeId: text, bookedBefore: int, bookedAfter: int },
  [T.bookingCancel]: { ...bookingMark, bookedBefore: int, bookedAfter: int },
  [BOOKING_MARK_EVENT_TYPES.ack]: bookingMark,
  [BOOKING_MARK_EVENT_TYPES.check_in]: bookingMark,
  [BOOKING_MARK_EVENT_TYPES.no_show]: bookingMark,
  [BOOKING_MARK_EVENT_TYPES.undo]: bookingMark,
  [T.bookingRescheduled]: bookingMove,
  [T.bookingMovedAway]: bookingMove,
  [T.eventSaved]: { name: text, nameBefore: text.optional(), perCustomerLimit: int.optional() },
  [T.slotsGenerated]: {
    slots: int,
    capacity: int,
    stores: z.array(text),
    /** The plan in store time: days from `firstDate`, `dayStart` to `dayEnd`, every `slotMinutes`. */
    firstDate: text.optional(),
    days: int.optional(),
    dayStart: text.optional(),
    dayEnd: text.optional(),
    slotMinutes: int.optional(),
  },
  [T.slotClosed]: slotSeats,
  [T.slotReopened]: slotSeats,
  [T.slotCapacityChanged]: {
    slotId: text,
    storeId: text,
    capacityBefore: int,
    capacityAfter: int,
    booked: int,
  },
  [T.waitingRoomConfigured]: {
    enabled: z.boolean(),
    admissionsPerMinute: z.number(),
    opensAt: int,
    activeLimit: int.optional(),
  },
  [T.waitingRoomAdmitted]: { opened: z.boolean(), admitted: int, expired: int, waiting: int },
  [T.waitingRoomSoldOut]: roomLine,
  [T.waitingRoomReopened]: roomLine,
} as const;

/** What every entry says besides its type's data: which, who, when and where. */
const envelope = {
  /** The stream id (`<ms>-<seq>`): with `stream`, the entry's identity and resume point. */
  id: z.string(),
  /** The stream's key, e.g. `{st:aiea}:audit` or `{ev:launch}:audit`. */
  stream: z.string(),
  /** AUDIT_EVENT_VERSION of the writer; 1 for entries written before versions were recorded. */
  v: z.number().int(),
  actor: auditActorSchema,
  /** When, ms since the epoch, from the server's clock. */
  at: z.number(),
  /** The store the change is at (a store's stream, or a booking's store on an event's stream). */
  storeId: z.string().optional(),
  /** The event, for entries of an event's stream. */
  eventId: z.string().optional(),
  /** Why, in the words of whoever acted, when they gave one. */
  reason: z.string().optional(),
};

type DataShapes = typeof AUDIT_EVENT_DATA;
type KnownType = keyof DataShapes;

function eventSchema<K extends KnownType>(type: K) {
  return z.object({ ...envelope, type: z.literal(type), data: z.looseObject(AUDIT_EVENT_DATA[type]) });
}

const knownSchemas = (Object.keys(AUDIT_EVENT_DATA) as KnownType[]).map((type) => eventSchema(type));
type KnownSchema = { [K in KnownType]: ReturnType<typeof eventSchema<K>> }[KnownType];

/** Every known audit event: discriminated by `type`. */
export const knownAuditEventSchema = z.discriminatedUnion(
  'type',
  knownSchemas as unknown as [KnownSchema, ...KnownSchema[]],
);
export type KnownAuditEvent = z.infer<typeof knownAuditEventSchema>;
/** The name of a type this code knows. */
export type KnownAuditEventType = KnownType;
export type AuditEventOf<K extends KnownType> = Extract<KnownAuditEvent, { type: K }>;

/** An entry this reader cannot type: a newer writer's type, or data that does not fit its type. */
export const unknownAuditEventSchema = z.object({
  ...envelope,
  actor: z.unknown(),
  type: z.literal('unknown'),
  /** The type the entry was written with. */
  rawType: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** Why it could not be typed, for logs and the admin page. */
  problem: z.string(),
});
export type UnknownAuditEvent = z.infer<typeof unknownAuditEventSchema>;

export const auditEventSchema = z.union([knownAuditEventSchema, unknownAuditEventSchema]);
export type AuditEvent = KnownAuditEvent | UnknownAuditEvent;

/** A raw XRANGE / XREAD entry: `[id, [field, value, ...]]`. */
export type RawStreamEntry = [string, string[]];

/** `{st:aiea}:audit` -> store `aiea`; `{ev:launch}:audit` -> event `launch`. */
export function streamPlace(stream: string): { storeId?: string; eventId?: string } {
  const match = /^\{(st|ev):([^}]+)\}/.exec(stream);
  if (!match?.[2]) return {};
  return match[1] === 'st' ? { storeId: match[2] } : { eventId: match[2] };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // An entry written by hand (redis-cli) is still shown, with its raw text.
    return { raw: text };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stream entry as a typed event. Never throws: an entry of a type this code does not know,
 * or whose data does not fit its type's schema, is `{ type: 'unknown', rawType, problem }`.
 */
export function parseAuditEvent(stream: string, [id, fields]: RawStreamEntry): AuditEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] ?? ''] = fields[i + 1] ?? '';
  const data = parseJson(f.data);
  const dataRecord = isRecord(data) ? data : {};
  for (const key of LUA_LIST_FIELDS) {
    const value = dataRecord[key];
    if (isRecord(value) && Object.keys(value).length === 0) dataRecord[key] = [];
  }
  const place = streamPlace(stream);
  const storeId = typeof dataRecord.storeId === 'string' ? dataRecord.storeId : place.storeId;
  const why =
    typeof dataRecord.reason === 'string' && dataRecord.reason !== '' ? dataRecord.reason : undefined;
  const base = {
    id,
    stream,
    v: f.v === undefined ? 1 : Number(f.v),
    actor: parseJson(f.actor) ?? { role: 'system' },
    at: Number(f.at ?? 0),
    ...(storeId === undefined ? {} : { storeId }),
    ...(place.eventId === undefined ? {} : { eventId: place.eventId }),
    ...(why === undefined ? {} : { reason: why }),
  };
  const rawType = f.type ?? '';
  const parsed = knownAuditEventSchema.safeParse({ ...base, type: rawType, data: dataRecord });
  if (parsed.success) return parsed.data;
  const problem =
    rawType in AUDIT_EVENT_DATA
      ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      : `unknown type ${JSON.stringify(rawType)}`;
  return { ...base, type: 'unknown', rawType, data: dataRecord, problem };
}
