-- set-slot-capacity.lua: an admin changes how many seats an appointment slot has.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, "{ev:<event>}:" prefix)
-- ARGV[5] slot id   ARGV[6] new capacity
-- Returns ok { slot = <slot hash> } or fail SLOT_NOT_FOUND | CAPACITY_BELOW_BOOKED.
-- Atomic: the check against the seats booked and the write see the same count, so a
-- booking racing the change can never leave a slot with more bookings than seats.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, slot_id, capacity = ARGV[4], ARGV[5], tonumber(ARGV[6])
local slot_key = e .. 'slot:' .. slot_id
local slot = hash_to_table(redis.call('HGETALL', slot_key))
if not slot.id then return commit(fail('SLOT_NOT_FOUND')) end
local booked, before = num(slot.booked), num(slot.capacity)
if capacity < booked then
  return commit(fail('CAPACITY_BELOW_BOOKED', { booked = booked, capacity = before, requested = capacity }))
end
redis.call('HSET', slot_key, 'capacity', capacity)
slot.capacity = capacity
audit(KEYS[2], 'slot.capacity_changed', ARGV[3], {
  slotId = slot_id, storeId = slot.storeId, capacityBefore = before, capacityAfter = capacity, booked = booked,
}, now_ms())
return commit(ok({ slot = slot }))
