-- reschedule.lua: moves a booking to another slot of the same event (any store).
-- KEYS (by role, from appointments/keys.ts): idem, audit, booking, oldSlot and
-- oldStoreBookings = the booking's slot and its store's list as read just before, newSlot,
-- newStoreBookings = the new slot's store's list
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] new slot id   ARGV[7] sha256 of the manage token
-- ARGV[8] the new slot's store id (from the slot id; newStoreBookings is that store's list)
-- ARGV[9], ARGV[10] the booking's slot id and store id as read (oldSlot, oldStoreBookings);
-- when the booking says otherwise now (it was moved), the script answers stale_keys().
-- ARGV[11] the waiting-room place id the move's ticket names ('' for none); KEYS room and
-- roomPlaces are the event's waiting room (server/waiting-room/)
-- RULES: shared/booking-steps.ts BOOKING_STEP_RULES.
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION |
-- SLOT_NOT_FOUND | SLOT_NOT_OPEN | SLOT_CLOSED | SLOT_FULL, or WAITING_ROOM_TICKET_REQUIRED (not
-- stored under the idempotency key); a refusal leaves the booking as it was.
-- Atomic: the new seat is taken before the old one is given back, in one step (DESIGN), so
-- the customer never ends up with no seat and nobody can take the old seat in between.
-- A move to another store starts that store's acknowledgement afresh: the old store's
-- tablet received it, the new store's has not yet (DESIGN "Store acknowledgement").
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, new_slot_id = ARGV[5], ARGV[6]
local b = hash_to_table(redis.call('HGETALL', K.booking))
-- Comparing sha256 digests with ~= leaks nothing useful about the token itself.
if not b.id or b.tokenHash ~= ARGV[7] then return commit(fail('BOOKING_NOT_FOUND')) end
if decide_step(RULES.reschedule, b.status, { acknowledged = b.acknowledgedAt ~= nil }) ~= 'moved' then
  return commit(fail('INVALID_TRANSITION', { status = b.status, step = 'reschedule' }))
end
if b.slotId == new_slot_id then return commit(ok({ booking = b })) end
if b.slotId ~= ARGV[9] or b.storeId ~= ARGV[10] then return stale_keys() end

local slot = hash_to_table(redis.call('HGETALL', K.newSlot))
-- A slot's id names its store; newStoreBookings was built from it.
if not slot.id or slot.storeId ~= ARGV[8] then return commit(fail('SLOT_NOT_FOUND')) end
if now < num(slot.opensAt) then return commit(fail('SLOT_NOT_OPEN', { opensAt = num(slot.opensAt) })) end
if now >= num(slot.startsAt) then return commit(fail('SLOT_CLOSED')) end
if slot.closedAt then return commit(fail('SLOT_CLOSED', { closedByStore = true })) end
if num(slot.booked) >= num(slot.capacity) then return commit(fail('SLOT_FULL', { capacity = num(slot.capacity) })) end
-- While the event's waiting room is on, a move into the release it guards needs the customer's
-- turn too (issue 10 §3): else a booking made earlier for another day would skip the line.
local room = redis.call('HMGET', K.room, 'on', 'opensAt')
if room[1] == '1' and num(slot.opensAt) >= num(room[2]) then
  local raw = ARGV[11] ~= '' and redis.call('HGET', K.roomPlaces, ARGV[11])
  local place = raw and cjson.decode(raw)
  if not place or place.customerKey ~= b.customerKey or (place.state ~= 'admitted' and place.state ~= 'used')
      or now >= num(place.expiresAt) then
    return { cjson.encode(fail('WAITING_ROOM_TICKET_REQUIRED')), 0 }
  end
end

local old_slot, old_store = b.slotId, b.storeId
local new_booked = redis.call('HINCRBY', K.newSlot, 'booked', 1)
local old_booked = redis.call('HINCRBY', K.oldSlot, 'booked', -1)
redis.call('ZREM', K.oldStoreBookings, id)
redis.call('ZADD', K.newStoreBookings, num(slot.startsAt), id)
local changes = { 'slotId', new_slot_id, 'storeId', slot.storeId, 'startsAt', slot.startsAt, 'rescheduledAt', now }
if slot.storeId ~= old_store then
  redis.call('HDEL', K.booking, 'acknowledgedAt', 'acknowledgedBy')
  b.acknowledgedAt, b.acknowledgedBy = nil, nil
  table.insert(changes, 'assignedAt')
  table.insert(changes, now)
end
redis.call('HSET', K.booking, unpack(changes))
for i = 1, #changes, 2 do b[changes[i]] = changes[i + 1] end

local moved = {
  bookingId = id, fromSlot = old_slot, toSlot = new_slot_id, fromStore = old_store, toStore = slot.storeId,
  fromBookedAfter = old_booked, toBookedBefore = new_booked - 1, toBookedAfter = new_booked,
}
-- Each store's feed filters on storeId: the old store must hear that the booking left it.
if slot.storeId ~= old_store then
  moved.storeId = old_store
  audit(EV.bookingMovedAway, actor, moved, now)
end
moved.storeId = slot.storeId
audit(EV.bookingRescheduled, actor, moved, now)
return commit(ok({ booking = b }))
