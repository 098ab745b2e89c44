-- mark-booking.lua: a tablet of the booking's store acknowledges it, checks the customer in
-- or marks a no-show.
-- KEYS (by role, from appointments/keys.ts): idem, audit, booking
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] mark: ack | check_in | no_show (shared/booking-steps.ts)
-- ARGV[7] the acting tablet's device id   ARGV[8] that tablet's store id
-- RULES, MARK_STEPS: shared/booking-steps.ts BOOKING_STEP_RULES and BOOKING_MARK_STEPS.
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION.
-- Atomic: the status is read and changed in one step, so a check-in racing a no-show mark
-- or a cancel from another tablet or the customer ends in one well-defined state, and the
-- first acknowledgement is the one kept.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, mark, device, device_store = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
-- When each status was reached and by whom, and the same for each mark.
local STATUS_FIELDS = { checked_in = 'checkedIn', no_show = 'noShow' }
if not contains(MARK_STEPS, mark) then return redis.error_reply('unknown booking mark ' .. mark) end
local b = hash_to_table(redis.call('HGETALL', K.booking))
-- A tablet of another store learns nothing about the booking.
if not b.id or device_store == '' or b.storeId ~= device_store then
  return commit(fail('BOOKING_NOT_FOUND'))
end

local before = b.status
local decision, after, marks = decide_step(RULES[mark], before, { acknowledged = b.acknowledgedAt ~= nil })
if decision == 'unchanged' then return commit(ok({ booking = b })) end
if decision == 'refused' then return commit(fail('INVALID_TRANSITION', { status = before, step = mark })) end
local changes = {}
if after ~= before then
  local field = STATUS_FIELDS[after]
  table.insert(changes, 'status'); table.insert(changes, after)
  table.insert(changes, field .. 'At'); table.insert(changes, now)
  table.insert(changes, field .. 'By'); table.insert(changes, device)
end
for _, m in ipairs(marks) do
  table.insert(changes, m .. 'At'); table.insert(changes, now)
  table.insert(changes, m .. 'By'); table.insert(changes, device)
end

redis.call('HSET', K.booking, unpack(changes))
for i = 1, #changes, 2 do b[changes[i]] = changes[i + 1] end
audit(EV.bookingMark[mark], actor, {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = before, statusAfter = b.status,
}, now)
return commit(ok({ booking = b }))
