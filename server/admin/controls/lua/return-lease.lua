-- return-lease.lua: an admin gives one tablet's lease of one sku back to the store's pool
-- (a tablet that is lost or broken, or a lease taken by mistake).
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] device id   ARGV[6] sku
-- Returns ok { returned, stock }; returned is 0 when the tablet holds none of that sku.
-- Atomic: the tablet's lease and the store's leased counter move together, so
-- leases + holds + sold never exceed on-hand (DESIGN rule 3).
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p, device, sku = ARGV[4], ARGV[5], ARGV[6]
local now = now_ms()
local qty = num(redis.call('HGET', p .. 'lease:' .. device, sku))
local returned = return_lease(p, device, sku, qty, now, 'lease.revoked', ARGV[3])
if redis.call('HLEN', p .. 'lease:' .. device) == 0 then redis.call('SREM', p .. 'lease-devices', device) end
return commit(ok({ returned = returned, stock = stock_of(p, sku) }))
