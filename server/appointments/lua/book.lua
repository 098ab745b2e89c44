-- book.lua: a customer takes one seat of an appointment slot.
-- KEYS (by role, from appointments/keys.ts): idem, audit, meta = the event's record,
-- slot, booking = the new booking, customerBookings = this customer's bookings of the event,
-- storeBookings = the slot's store's list
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] booking id   ARGV[6] slot id   ARGV[7] customer key (normalized email or phone)
-- ARGV[8] customer JSON   ARGV[9] sha256 of the manage token   ARGV[10] manage token
-- ARGV[11] the slot's store id (from the slot id; storeBookings is that store's list)
-- ARGV[12] the waiting-room place id the booking's ticket names ('' for none); KEYS room,
-- roomPlaces and roomTickets are the event's waiting room (server/waiting-room/)
-- Returns ok { booking = <booking hash>, slot = <slot hash>, manageToken } or fail
-- EVENT_NOT_FOUND | SLOT_NOT_FOUND | SLOT_NOT_OPEN | SLOT_CLOSED | BOOKING_LIMIT_REACHED | SLOT_FULL,
-- or WAITING_ROOM_TICKET_REQUIRED, not stored under the idempotency key (a ticket may come later).
-- The plain token lives only in the idempotency record (a replay must answer with the same
-- token); the booking keeps its sha256.
-- Atomic: the capacity check, the per-customer check and the seat increment see the same
-- numbers, so 2,000 simultaneous requests for 100 seats make exactly 100 bookings, and one
-- customer racing themselves across stores gets one.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, slot_id, ckey = ARGV[5], ARGV[6], ARGV[7]
local meta = hash_to_table(redis.call('HGETALL', K.meta))
if not meta.id then return commit(fail('EVENT_NOT_FOUND')) end
local slot = hash_to_table(redis.call('HGETALL', K.slot))
-- A slot's id names its store; storeBookings was built from it.
if not slot.id or slot.storeId ~= ARGV[11] then return commit(fail('SLOT_NOT_FOUND')) end
if now < num(slot.opensAt) then return commit(fail('SLOT_NOT_OPEN', { opensAt = num(slot.opensAt) })) end
if now >= num(slot.startsAt) then return commit(fail('SLOT_CLOSED')) end
if slot.closedAt then return commit(fail('SLOT_CLOSED', { closedByStore = true })) end
-- While the event's waiting room is on, only a customer it admitted books the release it
-- guards (slots opening at its T0 or later): with the ticket it gave that customer, before the
-- ticket runs out (issue 10 §3). Days released before stay bookable directly.
local place
local room = redis.call('HMGET', K.room, 'on', 'opensAt')
if room[1] == '1' and num(slot.opensAt) >= num(room[2]) then
  local raw = ARGV[12] ~= '' and redis.call('HGET', K.roomPlaces, ARGV[12])
  place = raw and cjson.decode(raw)
  if not place or place.customerKey ~= ckey or (place.state ~= 'admitted' and place.state ~= 'used')
      or now >= num(place.expiresAt) then
    return { cjson.encode(fail('WAITING_ROOM_TICKET_REQUIRED')), 0 }
  end
end
-- An event made without a limit allows one booking per customer (DESIGN: "one ... (configurable)").
local limit = tonumber(meta.perCustomerLimit) or 1
if redis.call('SCARD', K.customerBookings) >= limit then
  return commit(fail('BOOKING_LIMIT_REACHED', { limit = limit }))
end
local booked, capacity = num(slot.booked), num(slot.capacity)
if booked >= capacity then return commit(fail('SLOT_FULL', { capacity = capacity })) end

local booking = {
  'id', id, 'eventId', meta.id, 'slotId', slot_id, 'storeId', slot.storeId, 'startsAt', slot.startsAt,
  'status', 'booked', 'createdAt', now, 'assignedAt', now, 'customerKey', ckey, 'customer', ARGV[8],
  'tokenHash', ARGV[9],
}
redis.call('HSET', K.booking, unpack(booking))
slot.booked = redis.call('HINCRBY', K.slot, 'booked', 1)
redis.call('SADD', K.customerBookings, id)
redis.call('ZADD', K.storeBookings, num(slot.startsAt), id)
if place and place.state == 'admitted' then
  place.state, place.usedAt = 'used', now
  redis.call('HSET', K.roomPlaces, ARGV[12], cjson.encode(place))
  -- Booked: no longer among the admitted who may still book (admit.lua, following bookings).
  redis.call('ZREM', K.roomTickets, ARGV[12])
end
audit(EV.bookingCreated, actor, {
  bookingId = id, slotId = slot_id, storeId = slot.storeId, bookedBefore = booked, bookedAfter = booked + 1,
}, now)
return commit(ok({ booking = hash_to_table(booking), slot = slot, manageToken = ARGV[10] }))
