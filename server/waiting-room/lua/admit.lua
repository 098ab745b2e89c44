-- admit.lua: one admission step of an event's waiting room, run by every instance's ticker.
-- KEYS (by role, from appointments/keys.ts): room, queue, tickets, places, audit
-- ARGV[1] now   ARGV[2] most places admitted or expired in this step
-- Returns { admitted, expired }.
-- Idempotent per instant: the room remembers up to when it has admitted (`tickedAt`), and
-- admits `admissionsPerMinute` for the time since then, plus one for each ticket that ran out
-- unused (its place goes to the next), less those admitted already. Two instances ticking at
-- the same `now` admit once, so no leader is needed. An empty line banks at most one second's
-- admissions.
-- Following bookings (room.activeLimit set): at most activeLimit admitted customers hold a valid
-- ticket without having booked (book.lua takes a used ticket off K.tickets), so each booking or
-- ticket run out lets the next customer in, never faster than the rate. The pace this gives is
-- measured over windows of MEASURE_MS (room.measuredPerMinute) for the customers' wait estimates.
-- Atomic: taking customers off the line, issuing their tickets and counting the allowance must
-- be one step, or two instances could admit the same customer twice or admit twice the rate.
local now, batch = tonumber(ARGV[1]), tonumber(ARGV[2])
local room = hash_to_table(redis.call('HGETALL', K.room))
if room.on ~= '1' then return { 0, 0 } end
local opens_at = num(room.opensAt)
if now < opens_at then return { 0, 0 } end
local opening = room.openedAt == nil
local since = math.max(num(room.tickedAt), opens_at)
-- An instance whose clock is behind the last step's changes nothing.
if now < since then return { 0, 0 } end

local expired = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', K.tickets, '-inf', now, 'LIMIT', 0, batch)) do
  redis.call('ZREM', K.tickets, id)
  local raw = redis.call('HGET', K.places, id)
  local place = raw and cjson.decode(raw)
  if place and place.state == 'admitted' then
    place.state = 'expired'
    redis.call('HSET', K.places, id, cjson.encode(place))
    expired = expired + 1
  end
end

local MEASURE_MS = 10000
local rate = num(room.admissionsPerMinute)
local active_limit = tonumber(room.activeLimit)
local allowance = num(room.allowance) + (now - since) * rate / 60000 + expired
local admitted = 0
local count = num(room.admitted)
if not room.soldOutAt then
  local n = math.min(math.floor(allowance), batch)
  local held_back = false
  if active_limit then
    local free = math.max(0, active_limit - redis.call('ZCARD', K.tickets))
    if free < n then n, held_back = free, true end
  end
  -- Waiting for bookings banks no more than a second at the rate, as an empty line does.
  if held_back then allowance = math.min(allowance, math.max(1, rate / 60)) end
  if n > 0 then
    local popped = redis.call('ZPOPMIN', K.queue, n)
    local expires_at = now + num(room.ticketMs)
    for i = 1, #popped, 2 do
      local id = popped[i]
      local place = cjson.decode(redis.call('HGET', K.places, id) or '{}')
      count = count + 1
      place.state, place.admittedAt, place.expiresAt, place.admittedNo = 'admitted', now, expires_at, count
      redis.call('HSET', K.places, id, cjson.encode(place))
      redis.call('ZADD', K.tickets, expires_at, id)
      admitted = admitted + 1
    end
    allowance = allowance - admitted
  end
end
local waiting = redis.call('ZCARD', K.queue)
if waiting == 0 or room.soldOutAt then allowance = math.min(allowance, math.max(1, rate / 60)) end

redis.call('HSET', K.room, 'tickedAt', now, 'allowance', allowance, 'admitted', count,
  'expired', num(room.expired) + expired)
if active_limit then
  local window_at = tonumber(room.windowAt)
  if not window_at then
    redis.call('HSET', K.room, 'windowAt', now, 'windowAdmitted', count)
  elseif now - window_at >= MEASURE_MS then
    local per_minute = (count - num(room.windowAdmitted)) * 60000 / (now - window_at)
    redis.call('HSET', K.room, 'windowAt', now, 'windowAdmitted', count, 'measuredPerMinute', per_minute)
  end
end
if opening then redis.call('HSET', K.room, 'openedAt', now) end
if opening or admitted > 0 or expired > 0 then
  for _, key in ipairs({ K.room, K.queue, K.tickets, K.places }) do
    redis.call('PEXPIRE', key, ROOM_KEPT_MS)
  end
  audit(EV.waitingRoomAdmitted, SYSTEM_ACTOR, {
    opened = opening, admitted = admitted, expired = expired, waiting = waiting,
  }, now)
end
return { admitted, expired }
