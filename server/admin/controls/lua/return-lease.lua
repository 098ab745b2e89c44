-- return-lease.lua: an admin gives one tablet's lease of one sku back to the store's pool
-- (a tablet that is lost or broken, or a lease taken by mistake).
-- KEYS (by role, from stock/keys.ts): idem, the stock core (prelude), lease and leaseUntil =
-- the device's lease hashes, leaseExpiry, leaseDevices
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] device id   ARGV[6] sku
-- Returns ok { returned, stock }; returned is 0 when the tablet holds none of that sku; or
-- fail PRODUCT_NOT_FOUND when it holds none and the store does not carry the sku (a typo).
-- Atomic: the tablet's lease and the store's leased counter move together, so
-- leases + holds + sold never exceed on-hand (DESIGN rule 3).
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local device, sku = ARGV[5], ARGV[6]
local qty = num(redis.call('HGET', K.lease, sku))
-- A lease of a sku since dropped from the catalog still goes back; only a name that is
-- neither leased nor carried is refused.
if qty == 0 and redis.call('HEXISTS', K.catalog, sku) == 0 then
  return commit(fail('PRODUCT_NOT_FOUND', { sku = sku }))
end
local returned = return_lease(K.lease, K.leaseUntil, K.leaseExpiry, device, sku, qty, now, EV.leaseRevoked, actor)
if redis.call('HLEN', K.lease) == 0 then redis.call('SREM', K.leaseDevices, device) end
return commit(ok({ returned = returned, stock = stock_of(sku) }))
