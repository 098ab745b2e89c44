-- fill-day.lua: makes one store's slots of one event for one store-local day what its schedule
-- plans (issue 21 §2): missing slots are created, unbooked ones follow the plan, unbooked ones
-- the plan no longer has are removed; a slot with bookings keeps its time and never has fewer
-- seats than its bookings (off the plan, it keeps exactly its bookings: no new seats).
-- KEYS (from appointments/keys.ts): K.storeSlots the store's slot index, K.filled the store's
-- filled-days record; then the n planned slots' hashes, then the m existing slots' hashes.
-- ARGV[1] event id  ARGV[2] store id  ARGV[3] date  ARGV[4] plan fingerprint
-- ARGV[5] day start  ARGV[6] day end (epoch ms, the index range of the day)  ARGV[7] opensAt
-- ARGV[8] capacity  ARGV[9] n  ARGV[10] m  then three per planned slot: id, startsAt, endsAt;
-- then the m existing slot ids, as read from the index just before.
-- Returns { outcome_json, 0 }: ok { created, updated, removed, kept }, or stale_keys() when the
-- day's slots changed since they were read.
-- Atomic: the day is compared, created and pruned in one step, so two instances filling at
-- once, or a fill cut by a restart and run again, make each slot exactly once, and no booking
-- lands on a slot between the check that it has none and its removal.
local event_id, store_id, date, fingerprint = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local day_start, day_end, opens_at = ARGV[5], ARGV[6], ARGV[7]
local capacity = tonumber(ARGV[8])
local n, m = tonumber(ARGV[9]), tonumber(ARGV[10])
local first_existing = 11 + n * 3

local current = redis.call('ZRANGEBYSCORE', K.storeSlots, day_start, '(' .. day_end)
if #current ~= m then return stale_keys() end
local given = {}
for j = 1, m do given[ARGV[first_existing + j - 1]] = NAMED_KEYS + n + j end
for _, id in ipairs(current) do
  if not given[id] then return stale_keys() end
end

local planned = {}
local created, updated, removed, kept = 0, 0, 0, 0
for i = 1, n do
  local at = 11 + (i - 1) * 3
  local id, starts_at, ends_at = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local key = KEYS[NAMED_KEYS + i]
  planned[id] = true
  local booked = num(redis.call('HGET', key, 'booked'))
  if redis.call('EXISTS', key) == 0 then
    redis.call('HSET', key, 'id', id, 'eventId', event_id, 'storeId', store_id, 'startsAt', starts_at,
      'endsAt', ends_at, 'opensAt', opens_at, 'capacity', capacity, 'booked', 0)
    redis.call('ZADD', K.storeSlots, starts_at, id)
    created = created + 1
  elseif booked > 0 then
    -- Booked: its time stays as the customers were told; seats follow the plan down to the bookings.
    redis.call('HSET', key, 'capacity', math.max(capacity, booked))
    kept = kept + 1
  else
    redis.call('HSET', key, 'startsAt', starts_at, 'endsAt', ends_at, 'opensAt', opens_at, 'capacity', capacity)
    redis.call('ZADD', K.storeSlots, starts_at, id)
    updated = updated + 1
  end
end

for _, id in ipairs(current) do
  if not planned[id] then
    local key = KEYS[given[id]]
    local booked = num(redis.call('HGET', key, 'booked'))
    if booked > 0 then
      -- Off the plan but booked: it stays for its customers and sells no further seats.
      redis.call('HSET', key, 'capacity', booked)
      kept = kept + 1
    else
      redis.call('DEL', key)
      redis.call('ZREM', K.storeSlots, id)
      removed = removed + 1
    end
  end
end

redis.call('HSET', K.filled, date, fingerprint)
return { cjson.encode(ok({ created = created, updated = updated, removed = removed, kept = kept })), 0 }
