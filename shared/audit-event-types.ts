import type { BookingMarkStep } from './booking-steps.ts';
import type { HoldStep } from './hold-steps.ts';

/**
 * The names of the audit event types, once for the Lua scripts (handed in as the constant
 * `EV` by server/redis/lua-script.ts), the schemas in audit-events.ts and every reader.
 * Version 2 of the entries (AUDIT_EVENT_VERSION) adds the stock after the change, the SKUs of
 * an import and the admin's changes that were not recorded before (issue 15 §5).
 */
export const AUDIT_EVENT_TYPES = {
  stockShortfall: 'stock.shortfall',
  holdCreated: 'hold.created',
  holdExpired: 'hold.expired',
  leaseTaken: 'lease.taken',
  leaseReturned: 'lease.returned',
  leaseRevoked: 'lease.revoked',
  leaseExpired: 'lease.expired',
  leaseFrozen: 'lease.frozen',
  leaseSettled: 'lease.settled',
  catalogImported: 'catalog.imported',
  productLimitsChanged: 'product.limits_changed',
  tabletEnrolled: 'tablet.enrolled',
  tabletRenamed: 'tablet.renamed',
  tabletRevoked: 'tablet.revoked',
  bookingCreated: 'booking.created',
  bookingCancel: 'booking.cancel',
  bookingRescheduled: 'booking.rescheduled',
  bookingMovedAway: 'booking.moved_away',
  eventSaved: 'event.saved',
  slotsGenerated: 'slots.generated',
  slotClosed: 'slot.closed',
  slotReopened: 'slot.reopened',
  slotCapacityChanged: 'slot.capacity_changed',
  waitingRoomConfigured: 'waitingroom.configured',
  waitingRoomAdmitted: 'waitingroom.admitted',
  waitingRoomSoldOut: 'waitingroom.sold_out',
  waitingRoomReopened: 'waitingroom.reopened',
} as const;

/** A change of on-hand by staff (adjust-stock.lua), by its kind. */
export const STOCK_CHANGE_EVENT_TYPES = {
  receive: 'stock.receive',
  count: 'stock.count',
  sale: 'stock.sale',
  write_off: 'stock.write_off',
} as const;
export type StockChangeKind = keyof typeof STOCK_CHANGE_EVENT_TYPES;

/** A step of a pickup hold (hold-step.lua), by step. */
export const HOLD_STEP_EVENT_TYPES = {
  confirm: 'hold.confirm',
  cancel: 'hold.cancel',
  ack: 'hold.ack',
  accept: 'hold.accept',
  pick: 'hold.pick',
  hand_over: 'hold.hand_over',
} as const satisfies Record<HoldStep, string>;

/** An offline action reported from a lease (report-lease.lua), by its kind. */
export const LEASE_ACTION_EVENT_TYPES = {
  sale: 'lease.sale',
  write_off: 'lease.write_off',
} as const;

/** A mark a tablet sets on a booking (mark-booking.lua), by mark. */
export const BOOKING_MARK_EVENT_TYPES = {
  ack: 'booking.ack',
  check_in: 'booking.check_in',
  no_show: 'booking.no_show',
  /** Staff took back a check-in or a no-show (issue 15 §2): statusBefore says which. */
  undo: 'booking.undo',
} as const satisfies Record<BookingMarkStep, string>;

/** What Lua receives as `EV`: `EV.holdCreated`, `EV.stock[kind]`, `EV.holdStep[step]`... */
export const LUA_AUDIT_EVENT_TYPES = {
  ...AUDIT_EVENT_TYPES,
  stock: STOCK_CHANGE_EVENT_TYPES,
  holdStep: HOLD_STEP_EVENT_TYPES,
  leaseAction: LEASE_ACTION_EVENT_TYPES,
  bookingMark: BOOKING_MARK_EVENT_TYPES,
} as const;

type ValuesOf<T> = T[keyof T];
export type AuditEventType =
  | ValuesOf<typeof AUDIT_EVENT_TYPES>
  | ValuesOf<typeof STOCK_CHANGE_EVENT_TYPES>
  | ValuesOf<typeof HOLD_STEP_EVENT_TYPES>
  | ValuesOf<typeof LEASE_ACTION_EVENT_TYPES>
  | ValuesOf<typeof BOOKING_MARK_EVENT_TYPES>;

/** Every type name, for filters and the test that pins Lua to the union. */
export const ALL_AUDIT_EVENT_TYPES: readonly AuditEventType[] = [
  ...Object.values(AUDIT_EVENT_TYPES),
  ...Object.values(STOCK_CHANGE_EVENT_TYPES),
  ...Object.values(HOLD_STEP_EVENT_TYPES),
  ...Object.values(LEASE_ACTION_EVENT_TYPES),
  ...Object.values(BOOKING_MARK_EVENT_TYPES),
];
