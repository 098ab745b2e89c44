-- generate-slots.lua: an admin creates an event's slots at some stores, or generates them again.
-- KEYS (from appointments/keys.ts): KEYS[1..n] the slot hashes, then each store's slot index
-- ARGV[1] event id   ARGV[2] capacity   ARGV[3] n, the number of slots   ARGV[4] s, of stores
-- ARGV[5 .. 4+s] the store ids, in the order of their indexes in KEYS
-- then five per slot: id, store number (1..s), startsAt, endsAt, opensAt
-- Returns { outcome_json, 0 }: ok { slots = n } or fail CAPACITY_BELOW_BOOKED
-- { slotId, booked, requested } for the first slot with more bookings than the new capacity.
-- Atomic: every slot's bookings are checked before any slot is written and no booking can
-- land in between, so a refused plan changes nothing and an accepted one never leaves a slot
-- with fewer seats than bookings (issue 9: "a capacity never drops below what is booked").
local event_id, capacity = ARGV[1], tonumber(ARGV[2])
local n, s = tonumber(ARGV[3]), tonumber(ARGV[4])
local first = 5 + s

for i = 1, n do
  local booked = num(redis.call('HGET', KEYS[i], 'booked'))
  if booked > capacity then
    local slot_id = ARGV[first + (i - 1) * 5]
    return { cjson.encode(fail('CAPACITY_BELOW_BOOKED', { slotId = slot_id, booked = booked, requested = capacity })), 0 }
  end
end

for i = 1, n do
  local at = first + (i - 1) * 5
  local id, store = ARGV[at], tonumber(ARGV[at + 1])
  local starts_at = ARGV[at + 2]
  redis.call('HSET', KEYS[i], 'id', id, 'eventId', event_id, 'storeId', ARGV[4 + store],
    'startsAt', starts_at, 'endsAt', ARGV[at + 3], 'opensAt', ARGV[at + 4], 'capacity', capacity)
  redis.call('HSETNX', KEYS[i], 'booked', 0)
  redis.call('ZADD', KEYS[n + store], starts_at, id)
end
return { cjson.encode(ok({ slots = n })), 0 }
