-- join-room.lua: a customer takes a place in an event's waiting line.
-- KEYS (by role, from appointments/keys.ts): idem, room, queue, places, customers, addresses
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] place id (sha256 of the token)   ARGV[6] customer key (normalized email or phone)
-- ARGV[7] client address   ARGV[8] a random draw in [0, 1)   ARGV[9] the place token
-- Returns ok { token, opensAt, pace = the room's fields room.ts paceOf reads, soldOut, rank (0 = next), waiting } or fail WAITING_ROOM_OFF | WAITING_ROOM_ALREADY_JOINED (neither
-- stored under the idempotency key: the same press may succeed once the room is on).
-- Score: before T0 the random draw, so at T0 those already waiting stand in a random order
-- (issue 10 §3, Cloudflare Waiting Room's "random" method); from T0, 1 + the arrival number, so
-- later arrivals queue behind them in order.
-- Atomic: "one place per customer and per connection" must be checked and taken in one step,
-- or a bot sending the same identity twice at once would get two places.
local replay, commit, _, now = begin_mutation()
if replay then return replay end
local function refuse(code, details) return { cjson.encode(fail(code, details)), 0 } end

local id, ckey, address = ARGV[5], ARGV[6], ARGV[7]
local room = hash_to_table(redis.call('HGETALL', K.room))
if room.on ~= '1' then return refuse('WAITING_ROOM_OFF') end

local prior_id = redis.call('HGET', K.customers, ckey)
if prior_id then
  local prior = cjson.decode(redis.call('HGET', K.places, prior_id) or '{}')
  -- A customer whose ticket ran out unused may queue again, at the back; the old place is gone.
  if prior.state ~= 'expired' then return refuse('WAITING_ROOM_ALREADY_JOINED', { by = 'customer' }) end
  if prior.address then redis.call('HINCRBY', K.addresses, prior.address, -1) end
end
if num(redis.call('HGET', K.addresses, address)) >= (tonumber(room.placesPerConnection) or PLACES_PER_CONNECTION_DEFAULT) then
  return refuse('WAITING_ROOM_ALREADY_JOINED', { by = 'connection' })
end

local score
if now < num(room.opensAt) then
  score = tonumber(ARGV[8])
else
  score = 1 + redis.call('HINCRBY', K.room, 'arrivals', 1)
end
redis.call('HSET', K.places, id, cjson.encode({
  state = 'waiting', customerKey = ckey, address = address, joinedAt = now,
}))
redis.call('HSET', K.customers, ckey, id)
redis.call('HINCRBY', K.addresses, address, 1)
redis.call('HINCRBY', K.room, 'joined', 1)
redis.call('ZADD', K.queue, score, id)
-- Who waited is kept only while the release needs it (room.ts ROOM_KEPT_MS).
for _, key in ipairs({ K.room, K.queue, K.places, K.customers, K.addresses }) do
  redis.call('PEXPIRE', key, ROOM_KEPT_MS)
end
-- What the customer's page shows first, so the join needs no second read.
return commit(ok({
  token = ARGV[9], opensAt = num(room.opensAt),
  pace = {
    admissionsPerMinute = room.admissionsPerMinute, activeLimit = room.activeLimit, ticketMs = room.ticketMs,
    measuredPerMinute = room.measuredPerMinute,
  },
  soldOut = room.soldOutAt ~= nil, rank = redis.call('ZRANK', K.queue, id),
  waiting = redis.call('ZCARD', K.queue),
}))
