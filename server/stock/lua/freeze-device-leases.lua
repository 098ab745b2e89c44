-- freeze-device-leases.lua: an admin revokes a tablet (issue 15 §1). Its leased units stay
-- out of `available`: the tablet may have sold some offline, so they wait for its report of
-- what it did before the revocation, or for an admin's settlement (settle-device-leases.lua).
-- KEYS (by role, from stock/keys.ts): audit, lease = the device's lease hash, leaseExpiry,
-- revokedDevices
-- ARGV[1] device id   ARGV[2] actor JSON   ARGV[3] now (ms, the server's clock)
-- Returns { revokedAt, unreported units }. Revoking again keeps the first instant.
-- Atomic: the revocation mark and the removal from the expiry set happen together, so no
-- sweep can reclaim (and put back on sale) a unit the revoked tablet may have sold, and no
-- report can slip between them and be judged against no revocation.
local device, actor = ARGV[1], ARGV[2]
local now = tonumber(ARGV[3])
local revoked_at = tonumber(redis.call('HGET', K.revokedDevices, device))
local first = revoked_at == nil
if first then
  revoked_at = now
  redis.call('HSET', K.revokedDevices, device, revoked_at)
end
local lease = redis.call('HGETALL', K.lease)
local units, skus = 0, {}
for i = 1, #lease, 2 do
  local qty = tonumber(lease[i + 1])
  redis.call('ZREM', K.leaseExpiry, device .. '|' .. lease[i])
  if qty > 0 then
    units = units + qty
    skus[lease[i]] = qty
  end
end
if first then
  audit(EV.leaseFrozen, actor, { deviceId = device, revokedAt = revoked_at, unreported = units, skus = skus }, now)
end
return { revoked_at, units }
