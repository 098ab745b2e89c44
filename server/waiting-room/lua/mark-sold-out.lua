-- mark-sold-out.lua: records that every released spot of the event is taken (or free again).
-- KEYS (by role, from appointments/keys.ts): room, audit
-- ARGV[1] now   ARGV[2] '1' every spot is taken, '0' a spot is free again
-- Returns 1 when the room's state changed, else 0.
-- Atomic: several instances see the last seat go at once; only the first one's check-and-set
-- finds the flag unset, so everyone still waiting is told once, at once (one stream entry).
local now, sold_out = tonumber(ARGV[1]), ARGV[2] == '1'
local marked = redis.call('HEXISTS', K.room, 'soldOutAt') == 1
if sold_out == marked then return 0 end
if sold_out then
  redis.call('HSET', K.room, 'soldOutAt', now)
  audit(EV.waitingRoomSoldOut, SYSTEM_ACTOR, { waiting = redis.call('ZCARD', K.queue) }, now)
else
  redis.call('HDEL', K.room, 'soldOutAt')
  audit(EV.waitingRoomReopened, SYSTEM_ACTOR, { waiting = redis.call('ZCARD', K.queue) }, now)
end
return 1
