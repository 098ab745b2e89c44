-- return-device-leases.lua: an admin revokes a lost tablet; all its leased units go back.
-- KEYS (by role, from stock/keys.ts): the stock core (prelude), lease and leaseUntil = the
-- device's lease hashes, leaseExpiry, leaseDevices
-- ARGV[1] device id   ARGV[2] actor JSON   ARGV[3] now (ms, the server's clock)
-- Returns the number of units returned.
-- Atomic: each sku's lease and the store's leased counter move together.
local device, actor = ARGV[1], ARGV[2]
local now = tonumber(ARGV[3])
local lease = redis.call('HGETALL', K.lease)
local total = 0
for i = 1, #lease, 2 do
  total = total + return_lease(K.lease, K.leaseUntil, K.leaseExpiry, device, lease[i], tonumber(lease[i + 1]), now, EV.leaseRevoked, actor)
end
redis.call('DEL', K.lease, K.leaseUntil)
redis.call('SREM', K.leaseDevices, device)
return total
