-- sweep.lua: the periodic sweeper's step for one store (expiry also happens on every touch).
-- KEYS (by role, from stock/keys.ts): the stock core (prelude), leaseExpiry, revokedDevices; then, for each
-- due lease given, the device's lease and lease-until hashes; then the due holds (prelude)
-- ARGV[1] most items to handle in one call   ARGV[2] now (ms, the server's clock)
-- ARGV[3] JSON array of the due leases given, as in leaseExpiry (`<deviceId>|<sku>`)
-- ARGV[4] JSON array of the due holds given (prelude: given_due_holds)
-- Returns { holds expired, leases reclaimed }, or stale_keys() when something due was not
-- given (nothing changed; the caller reads what is due and calls again).
-- Atomic per item: a reclaimed lease moves its units back in the same step it is removed.
-- A revoked tablet's lease is never reclaimed here (issue 15 §1): it may have sold those
-- units offline, so they wait for its report or an admin's settlement. Revoking takes its
-- leases out of leaseExpiry; a member still found there is dropped without moving units.
local limit, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local given_leases = {}
for i, member in ipairs(cjson.decode(ARGV[3])) do
  given_leases[member] = { KEYS[NAMED_KEYS + 2 * i - 1], KEYS[NAMED_KEYS + 2 * i] }
end
local due = redis.call('ZRANGEBYSCORE', K.leaseExpiry, '-inf', now, 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  if not given_leases[member] then return stale_keys() end
end
local holds = sweep_expired_holds(now, limit)
if not holds then return stale_keys() end
for _, member in ipairs(due) do
  local bar = string.find(member, '|', 1, true)
  local device, sku = string.sub(member, 1, bar - 1), string.sub(member, bar + 1)
  local lease_key, until_key = given_leases[member][1], given_leases[member][2]
  local qty = num(redis.call('HGET', lease_key, sku))
  if redis.call('HEXISTS', K.revokedDevices, device) == 1 then
    redis.call('ZREM', K.leaseExpiry, member)
  elseif qty > 0 then
    return_lease(lease_key, until_key, K.leaseExpiry, device, sku, qty, now, EV.leaseExpired, SYSTEM_ACTOR)
  else
    redis.call('ZREM', K.leaseExpiry, member)
  end
end
return { holds, #due }
