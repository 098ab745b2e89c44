-- set-slot-capacity.lua: an admin changes how many seats an appointment slot has.
-- KEYS (by role, from appointments/keys.ts): idem, audit, slot
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] slot id   ARGV[6] new capacity
-- Returns ok { slot = <slot hash> } or fail SLOT_NOT_FOUND | CAPACITY_BELOW_BOOKED.
-- Atomic: the check against the seats booked and the write see the same count, so a
-- booking racing the change can never leave a slot with more bookings than seats.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local slot_id, capacity = ARGV[5], tonumber(ARGV[6])
local slot = hash_to_table(redis.call('HGETALL', K.slot))
if not slot.id then return commit(fail('SLOT_NOT_FOUND')) end
local booked, before = num(slot.booked), num(slot.capacity)
if capacity < booked then
  return commit(fail('CAPACITY_BELOW_BOOKED', {
    slotId = slot_id, booked = booked, capacity = before, requested = capacity,
  }))
end
redis.call('HSET', K.slot, 'capacity', capacity)
slot.capacity = capacity
audit(EV.slotCapacityChanged, actor, {
  slotId = slot_id, storeId = slot.storeId, capacityBefore = before, capacityAfter = capacity, booked = booked,
}, now)
return commit(ok({ slot = slot }))
