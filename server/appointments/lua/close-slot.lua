-- close-slot.lua: an admin closes an appointment slot to new bookings, or opens it again.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, "{ev:<event>}:" prefix)
-- ARGV[5] slot id   ARGV[6] '1' to close, '0' to reopen
-- Returns ok { slot = <slot hash> } or fail SLOT_NOT_FOUND.
-- Bookings already made stay (staff still see and serve them); book.lua and reschedule.lua
-- refuse a slot with closedAt. One step, so no booking slips in after the close is recorded.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, slot_id, close = ARGV[4], ARGV[5], ARGV[6] == '1'
local slot_key = e .. 'slot:' .. slot_id
local slot = hash_to_table(redis.call('HGETALL', slot_key))
if not slot.id then return commit(fail('SLOT_NOT_FOUND')) end
local now = now_ms()
if close and not slot.closedAt then
  redis.call('HSET', slot_key, 'closedAt', now)
  slot.closedAt = now
  audit(KEYS[2], 'slot.closed', ARGV[3], { slotId = slot_id, storeId = slot.storeId, booked = num(slot.booked) }, now)
elseif not close and slot.closedAt then
  redis.call('HDEL', slot_key, 'closedAt')
  slot.closedAt = nil
  audit(KEYS[2], 'slot.reopened', ARGV[3], { slotId = slot_id, storeId = slot.storeId, booked = num(slot.booked) }, now)
end
return commit(ok({ slot = slot }))
