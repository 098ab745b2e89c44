-- close-slot.lua: an admin closes an appointment slot to new bookings, or opens it again.
-- KEYS (by role, from appointments/keys.ts): idem, audit, slot
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] slot id   ARGV[6] '1' to close, '0' to reopen
-- Returns ok { slot = <slot hash> } or fail SLOT_NOT_FOUND.
-- Bookings already made stay (staff still see and serve them); book.lua and reschedule.lua
-- refuse a slot with closedAt. One step, so no booking slips in after the close is recorded.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local slot_id, close = ARGV[5], ARGV[6] == '1'
local slot = hash_to_table(redis.call('HGETALL', K.slot))
if not slot.id then return commit(fail('SLOT_NOT_FOUND')) end
if close and not slot.closedAt then
  redis.call('HSET', K.slot, 'closedAt', now)
  slot.closedAt = now
  audit(EV.slotClosed, actor, { slotId = slot_id, storeId = slot.storeId, booked = num(slot.booked) }, now)
elseif not close and slot.closedAt then
  redis.call('HDEL', K.slot, 'closedAt')
  slot.closedAt = nil
  audit(EV.slotReopened, actor, { slotId = slot_id, storeId = slot.storeId, booked = num(slot.booked) }, now)
end
return commit(ok({ slot = slot }))
