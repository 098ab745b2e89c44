-- cancel.lua: the customer (with the manage token) or a tablet of the booking's store cancels it.
-- KEYS (by role, from appointments/keys.ts): idem, audit, booking, and the keys the booking
-- names, as read just before: slot, customerBookings, storeBookings
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] sha256 of the customer's manage token, or '' when staff act
-- ARGV[7] the acting tablet's store id, or '' when the customer acts
-- ARGV[8..10] the booking's slot id, store id and customer key as read (the keys above);
-- when the booking says otherwise now (it was moved), the script answers stale_keys().
-- RULES: shared/booking-steps.ts BOOKING_STEP_RULES.
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION.
-- Atomic: the status change, the seat going back to the slot and the customer's allowance
-- going back happen together, so a seat is never returned twice (a double tap, a retry
-- with a new key, a customer and a tablet cancelling at once).
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, token_hash, device_store = ARGV[5], ARGV[6], ARGV[7]
local b = hash_to_table(redis.call('HGETALL', K.booking))
-- A wrong token, or a tablet of another store, learns nothing about the booking. Comparing
-- sha256 digests with ~= leaks nothing useful about the token itself.
local allowed = (token_hash ~= '' and b.tokenHash == token_hash)
  or (device_store ~= '' and b.storeId == device_store)
if not b.id or not allowed then return commit(fail('BOOKING_NOT_FOUND')) end
if decide_step(RULES.cancel, b.status, { acknowledged = b.acknowledgedAt ~= nil }) ~= 'moved' then
  return commit(fail('INVALID_TRANSITION', { status = b.status, step = 'cancel' }))
end

if b.slotId ~= ARGV[8] or b.storeId ~= ARGV[9] or b.customerKey ~= ARGV[10] then return stale_keys() end

local booked_after = redis.call('HINCRBY', K.slot, 'booked', -1)
redis.call('SREM', K.customerBookings, id)
redis.call('ZREM', K.storeBookings, id)
redis.call('HSET', K.booking, 'status', RULES.cancel.to, 'cancelledAt', now)
b.status, b.cancelledAt = RULES.cancel.to, now
audit(EV.bookingCancel, actor, {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = 'booked', statusAfter = b.status,
  bookedBefore = booked_after + 1, bookedAfter = booked_after,
}, now)
return commit(ok({ booking = b }))
