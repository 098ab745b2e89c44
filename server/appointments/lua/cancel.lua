-- cancel.lua: the customer (with the manage token) or a tablet of the booking's store cancels it.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] sha256 of the customer's manage token, or '' when staff act
-- ARGV[7] the acting tablet's store id, or '' when the customer acts
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION.
-- Atomic: the status change, the seat going back to the slot and the customer's allowance
-- going back happen together, so a seat is never returned twice (a double tap, a retry
-- with a new key, a customer and a tablet cancelling at once).
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, id, token_hash, device_store = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now = now_ms()
local bkey = e .. 'bk:' .. id
local b = hash_to_table(redis.call('HGETALL', bkey))
-- A wrong token, or a tablet of another store, learns nothing about the booking. Comparing
-- sha256 digests with ~= leaks nothing useful about the token itself.
local allowed = (token_hash ~= '' and b.tokenHash == token_hash)
  or (device_store ~= '' and b.storeId == device_store)
if not b.id or not allowed then return commit(fail('BOOKING_NOT_FOUND')) end
if b.status ~= 'booked' then
  return commit(fail('INVALID_TRANSITION', { status = b.status, step = 'cancel' }))
end

local slot_key = e .. 'slot:' .. b.slotId
local booked_after = redis.call('HINCRBY', slot_key, 'booked', -1)
redis.call('SREM', e .. 'cust:' .. b.customerKey, id)
redis.call('ZREM', e .. 'bookings:' .. b.storeId, id)
redis.call('HSET', bkey, 'status', 'cancelled', 'cancelledAt', now)
b.status, b.cancelledAt = 'cancelled', now
audit(KEYS[2], 'booking.cancel', ARGV[3], {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = 'booked', statusAfter = 'cancelled',
  bookedBefore = booked_after + 1, bookedAfter = booked_after,
}, now)
return commit(ok({ booking = b }))
