-- sweep.lua: the periodic sweeper's step for one store (expiry also happens on every touch).
-- KEYS[1] the store's audit stream
-- ARGV[1] "{st:<store>}:" prefix   ARGV[2] most items to handle in one call
-- Returns { holds expired, leases reclaimed }.
-- Atomic per item: a reclaimed lease moves its units back in the same step it is removed.
local p, limit = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local holds = sweep_expired_holds(p, now, limit)
local due = redis.call('ZRANGEBYSCORE', p .. 'lease-expiry', '-inf', now, 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  local bar = string.find(member, '|', 1, true)
  local device, sku = string.sub(member, 1, bar - 1), string.sub(member, bar + 1)
  local qty = num(redis.call('HGET', p .. 'lease:' .. device, sku))
  if qty > 0 then
    return_lease(p, device, sku, qty, now, 'lease.expired', '{"role":"system"}')
  else
    redis.call('ZREM', p .. 'lease-expiry', member)
  end
end
return { holds, #due }
