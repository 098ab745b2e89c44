-- sweep.lua: the periodic sweeper's step for one store (expiry also happens on every touch).
-- KEYS (by role, from stock/keys.ts): the stock core (prelude), leaseExpiry, and the
-- prefixes leasePrefix and leaseUntilPrefix (a due lease's device is read from leaseExpiry)
-- ARGV[1] most items to handle in one call   ARGV[2] now (ms, the server's clock)
-- Returns { holds expired, leases reclaimed }.
-- Atomic per item: a reclaimed lease moves its units back in the same step it is removed.
local limit = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local holds = sweep_expired_holds(now, limit)
local due = redis.call('ZRANGEBYSCORE', K.leaseExpiry, '-inf', now, 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  local bar = string.find(member, '|', 1, true)
  local device, sku = string.sub(member, 1, bar - 1), string.sub(member, bar + 1)
  local lease_key = K.leasePrefix .. device
  local qty = num(redis.call('HGET', lease_key, sku))
  if qty > 0 then
    return_lease(lease_key, K.leaseUntilPrefix .. device, K.leaseExpiry, device, sku, qty, now, 'lease.expired', SYSTEM_ACTOR)
  else
    redis.call('ZREM', K.leaseExpiry, member)
  end
end
return { holds, #due }
