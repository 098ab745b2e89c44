-- return-device-leases.lua: an admin revokes a lost tablet; all its leased units go back.
-- KEYS[1] the store's audit stream
-- ARGV[1] "{st:<store>}:" prefix   ARGV[2] device id   ARGV[3] actor JSON
-- Returns the number of units returned.
-- Atomic: each sku's lease and the store's leased counter move together.
local p, device = ARGV[1], ARGV[2]
local now = now_ms()
local lease = redis.call('HGETALL', p .. 'lease:' .. device)
local total = 0
for i = 1, #lease, 2 do
  total = total + return_lease(p, device, lease[i], tonumber(lease[i + 1]), now, 'lease.revoked', ARGV[3])
end
redis.call('DEL', p .. 'lease:' .. device, p .. 'lease-until:' .. device)
redis.call('SREM', p .. 'lease-devices', device)
return total
