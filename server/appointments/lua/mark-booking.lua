-- mark-booking.lua: a tablet of the booking's store acknowledges it, checks the customer in,
-- marks a no-show (once the slot has started), or undoes a check-in or no-show (for a while).
-- KEYS (by role, from appointments/keys.ts): idem, audit, booking
-- ARGV[1..4] prelude convention
-- ARGV[5] booking id   ARGV[6] mark: ack | check_in | no_show | undo (shared/booking-steps.ts)
-- ARGV[7] the acting tablet's device id   ARGV[8] that tablet's store id
-- RULES, MARK_STEPS, AFTER_START, UNDO_WINDOW_MS: shared/booking-steps.ts BOOKING_STEP_RULES,
-- BOOKING_MARK_STEPS, BOOKING_STEPS_AFTER_START and BOOKING_UNDO_WINDOW_MS.
-- Returns ok { booking = <booking hash> } or fail BOOKING_NOT_FOUND | INVALID_TRANSITION |
-- SLOT_NOT_STARTED (a no-show before the slot's start) | UNDO_WINDOW_PASSED.
-- Atomic: the status is read and changed in one step, so a check-in racing a no-show mark
-- or a cancel from another tablet or the customer ends in one well-defined state, the first
-- acknowledgement is the one kept, and an undo sees the status time it checks the window on.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, mark, device, device_store = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
-- When each status was reached and by whom, and the same for each mark. Booked again (undo)
-- is recorded as reopenedAt / reopenedBy, and the undone status's own fields are removed.
local STATUS_FIELDS = { checked_in = 'checkedIn', no_show = 'noShow', booked = 'reopened' }
if not contains(MARK_STEPS, mark) then return redis.error_reply('unknown booking mark ' .. mark) end
local b = hash_to_table(redis.call('HGETALL', K.booking))
-- A tablet of another store learns nothing about the booking.
if not b.id or device_store == '' or b.storeId ~= device_store then
  return commit(fail('BOOKING_NOT_FOUND'))
end

-- shared/booking-steps.ts decideBookingStep: the state machine first, then the time rules.
local before = b.status
local decision, after, marks = decide_step(RULES[mark], before, { acknowledged = b.acknowledgedAt ~= nil })
if decision == 'unchanged' then return commit(ok({ booking = b })) end
if decision == 'refused' then return commit(fail('INVALID_TRANSITION', { status = before, step = mark })) end
local starts_at = tonumber(b.startsAt)
if contains(AFTER_START, mark) and now < starts_at then
  return commit(fail('SLOT_NOT_STARTED', { status = before, step = mark, startsAt = starts_at }))
end
local undone_fields = {}
if mark == 'undo' then
  local status_field = STATUS_FIELDS[before]
  local status_at = status_field and tonumber(b[status_field .. 'At'])
  if not status_at or now > status_at + UNDO_WINDOW_MS then
    return commit(fail('UNDO_WINDOW_PASSED', { status = before, step = mark, statusAt = status_at }))
  end
  undone_fields = { 'checkedInAt', 'checkedInBy', 'noShowAt', 'noShowBy' }
end

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

if #undone_fields > 0 then
  redis.call('HDEL', K.booking, unpack(undone_fields))
  for _, f in ipairs(undone_fields) do b[f] = nil end
end
redis.call('HSET', K.booking, unpack(changes))
for i = 1, #changes, 2 do b[changes[i]] = changes[i + 1] end
audit(EV.bookingMark[mark], actor, {
  bookingId = id, slotId = b.slotId, storeId = b.storeId, statusBefore = before, statusAfter = b.status,
}, now)
return commit(ok({ booking = b }))
