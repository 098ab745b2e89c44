-- booking-step.lua: cancel, acknowledge, check in or mark a no-show.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] step: cancel | ack | check_in | no_show
-- ARGV[7] sha256 of the customer's manage token, or '' when staff act
-- ARGV[8] device id, or ''   ARGV[9] the device's store id, or '' (staff touch only their store)
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION.
-- Atomic: a cancel returns the seat and the customer's allowance in the same step as the
-- status change, so a seat is never returned twice.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, id, step, token_hash, device, device_store = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local now = now_ms()
local bkey = e .. 'bk:' .. id
local b = hash_to_table(redis.call('HGETALL', bkey))
if not b.id then return commit(fail('BOOKING_NOT_FOUND')) end
-- A wrong token, or another store's tablet, learns nothing about the booking.
if token_hash ~= '' and b.tokenHash ~= token_hash then return commit(fail('BOOKING_NOT_FOUND')) end
if device_store ~= '' and b.storeId ~= device_store then return commit(fail('BOOKING_NOT_FOUND')) end

local before = b.status
local changes
if step == 'ack' then
  if b.acknowledgedAt then return commit(ok({ booking = b })) end
  changes = { 'acknowledgedAt', now, 'acknowledgedBy', device }
elseif step == 'cancel' then
  if b.status ~= 'booked' then return commit(fail('INVALID_TRANSITION', { status = b.status, step = step })) end
  changes = { 'status', 'cancelled', 'cancelledAt', now }
  redis.call('HINCRBY', e .. 'slot:' .. b.slotId, 'booked', -1)
  redis.call('SREM', e .. 'cust:' .. b.customerKey, id)
  redis.call('ZREM', e .. 'bookings:' .. b.storeId, id)
elseif step == 'check_in' then
  -- A late arrival after a no-show mark can still be checked in.
  if b.status == 'checked_in' then return commit(ok({ booking = b })) end
  if b.status ~= 'booked' and b.status ~= 'no_show' then
    return commit(fail('INVALID_TRANSITION', { status = b.status, step = step }))
  end
  changes = { 'status', 'checked_in', 'checkedInAt', now, 'checkedInBy', device }
elseif step == 'no_show' then
  if b.status == 'no_show' then return commit(ok({ booking = b })) end
  if b.status ~= 'booked' then return commit(fail('INVALID_TRANSITION', { status = b.status, step = step })) end
  changes = { 'status', 'no_show', 'noShowAt', now, 'noShowBy', device }
else
  return redis.error_reply('unknown booking step ' .. step)
end

redis.call('HSET', bkey, unpack(changes))
for i = 1, #changes, 2 do b[changes[i]] = changes[i + 1] end
audit(KEYS[2], 'booking.' .. step, ARGV[3], {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = before, statusAfter = b.status,
}, now)
return commit(ok({ booking = b }))
