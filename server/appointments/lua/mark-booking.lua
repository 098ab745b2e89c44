-- mark-booking.lua: a tablet of the booking's store acknowledges it, checks the customer in
-- or marks a no-show.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] mark: ack | check_in | no_show
-- ARGV[7] the acting tablet's device id   ARGV[8] that tablet's store id
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION.
-- Atomic: the status is read and changed in one step, so a check-in racing a no-show mark
-- or a cancel from another tablet or the customer ends in one well-defined state, and the
-- first acknowledgement is the one kept.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, id, mark, device, device_store = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local now = now_ms()
local bkey = e .. 'bk:' .. id
local b = hash_to_table(redis.call('HGETALL', bkey))
-- A tablet of another store learns nothing about the booking.
if not b.id or device_store == '' or b.storeId ~= device_store then
  return commit(fail('BOOKING_NOT_FOUND'))
end

local before = b.status
local function refuse() return commit(fail('INVALID_TRANSITION', { status = before, step = mark })) end
local changes
if mark == 'ack' then
  -- DESIGN "Store acknowledgement": the first tablet that receives it; later ones change nothing.
  if b.acknowledgedAt then return commit(ok({ booking = b })) end
  changes = { 'acknowledgedAt', now, 'acknowledgedBy', device }
elseif mark == 'check_in' then
  -- Offline tablets resend; a second check-in is not an error. A late arrival after a
  -- no-show mark can still be checked in.
  if before == 'checked_in' then return commit(ok({ booking = b })) end
  if before ~= 'booked' and before ~= 'no_show' then return refuse() end
  changes = { 'status', 'checked_in', 'checkedInAt', now, 'checkedInBy', device }
elseif mark == 'no_show' then
  if before == 'no_show' then return commit(ok({ booking = b })) end
  if before ~= 'booked' then return refuse() end
  changes = { 'status', 'no_show', 'noShowAt', now, 'noShowBy', device }
else
  return redis.error_reply('unknown booking mark ' .. mark)
end

redis.call('HSET', bkey, unpack(changes))
for i = 1, #changes, 2 do b[changes[i]] = changes[i + 1] end
audit(KEYS[2], 'booking.' .. mark, ARGV[3], {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = before, statusAfter = b.status,
}, now)
return commit(ok({ booking = b }))
