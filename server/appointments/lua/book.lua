-- book.lua: a customer takes one seat of an appointment slot.
-- KEYS[1] idempotency record   KEYS[2] the event's audit stream
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, "{ev:<event>}:" prefix)
-- ARGV[5] booking id   ARGV[6] slot id   ARGV[7] customer key (normalized email or phone)
-- ARGV[8] customer JSON   ARGV[9] sha256 of the manage token   ARGV[10] manage token
-- Returns ok { booking = <booking hash>, slot = <slot hash>, manageToken } or fail
-- EVENT_NOT_FOUND | SLOT_NOT_FOUND | SLOT_NOT_OPEN | SLOT_CLOSED | BOOKING_LIMIT_REACHED | SLOT_FULL.
-- The plain token lives only in the idempotency record (a replay must answer with the same
-- token); the booking keeps its sha256.
-- Atomic: the capacity check, the per-customer check and the seat increment see the same
-- numbers, so 2,000 simultaneous requests for 100 seats make exactly 100 bookings, and one
-- customer racing themselves across stores gets one.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local e, id, slot_id, ckey = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now = now_ms()
local meta = hash_to_table(redis.call('HGETALL', e .. 'meta'))
if not meta.id then return commit(fail('EVENT_NOT_FOUND')) end
local slot_key = e .. 'slot:' .. slot_id
local slot = hash_to_table(redis.call('HGETALL', slot_key))
if not slot.id then return commit(fail('SLOT_NOT_FOUND')) end
if now < num(slot.opensAt) then return commit(fail('SLOT_NOT_OPEN', { opensAt = num(slot.opensAt) })) end
if now >= num(slot.startsAt) then return commit(fail('SLOT_CLOSED')) end
if slot.closedAt then return commit(fail('SLOT_CLOSED', { closedByStore = true })) end
-- An event made without a limit allows one booking per customer (DESIGN: "one ... (configurable)").
local limit = tonumber(meta.perCustomerLimit) or 1
if redis.call('SCARD', e .. 'cust:' .. ckey) >= limit then
  return commit(fail('BOOKING_LIMIT_REACHED', { limit = limit }))
end
local booked, capacity = num(slot.booked), num(slot.capacity)
if booked >= capacity then return commit(fail('SLOT_FULL', { capacity = capacity })) end

local booking = {
  'id', id, 'eventId', meta.id, 'slotId', slot_id, 'storeId', slot.storeId, 'startsAt', slot.startsAt,
  'status', 'booked', 'createdAt', now, 'assignedAt', now, 'customerKey', ckey, 'customer', ARGV[8],
  'tokenHash', ARGV[9],
}
redis.call('HSET', e .. 'bk:' .. id, unpack(booking))
slot.booked = redis.call('HINCRBY', slot_key, 'booked', 1)
redis.call('SADD', e .. 'cust:' .. ckey, id)
redis.call('ZADD', e .. 'bookings:' .. slot.storeId, num(slot.startsAt), id)
audit(KEYS[2], 'booking.created', ARGV[3], {
  bookingId = id, slotId = slot_id, storeId = slot.storeId, bookedBefore = booked, bookedAfter = booked + 1,
}, now)
return commit(ok({ booking = hash_to_table(booking), slot = slot, manageToken = ARGV[10] }))
