-- configure-room.lua: an admin turns an event's waiting room on or off, or changes its settings.
-- KEYS (by role, from appointments/keys.ts): room = the room's hash, audit = the event's stream
-- ARGV[1] now   ARGV[2] '1' on, '0' off   ARGV[3] admissions per minute   ARGV[4] ticket lifetime (ms)
-- ARGV[5] T0, the release time (ms)   ARGV[6] places per client address   ARGV[7] the actor as JSON
-- ARGV[8] at most this many admitted customers not booked yet ('' to admit by the rate alone)
-- Returns 1. The room is kept ROOM_KEPT_MS after its last change (room.ts).
-- Atomic: the admission allowance is brought up to `now` at the old rate before the new rate
-- applies, so a change never admits a burst or skips a second, whichever instance ticks next.
local now = tonumber(ARGV[1])
local room = hash_to_table(redis.call('HGETALL', K.room))
local opens_at = tonumber(ARGV[5])
local since = math.max(num(room.tickedAt), num(room.opensAt))
if room.on == '1' and room.openedAt and now > since then
  local allowance = num(room.allowance) + (now - since) * num(room.admissionsPerMinute) / 60000
  redis.call('HSET', K.room, 'allowance', allowance, 'tickedAt', now)
end
redis.call('HSET', K.room, 'on', ARGV[2], 'admissionsPerMinute', ARGV[3], 'ticketMs', ARGV[4],
  'opensAt', opens_at, 'placesPerConnection', ARGV[6])
if ARGV[8] ~= '' then
  redis.call('HSET', K.room, 'activeLimit', ARGV[8])
else
  redis.call('HDEL', K.room, 'activeLimit', 'windowAt', 'windowAdmitted', 'measuredPerMinute')
end
-- A new T0 still to come starts the draw again: nobody has been admitted under it yet.
if room.openedAt and opens_at > now then
  redis.call('HDEL', K.room, 'openedAt', 'tickedAt', 'allowance')
end
redis.call('PEXPIRE', K.room, ROOM_KEPT_MS)
audit(EV.waitingRoomConfigured, ARGV[7], {
  enabled = ARGV[2] == '1', admissionsPerMinute = tonumber(ARGV[3]), opensAt = opens_at,
  activeLimit = tonumber(ARGV[8]),
}, now)
return 1
