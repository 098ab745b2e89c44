-- create-hold.lua: a customer reserves `quantity` units of a product for pickup.
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), meta = the
-- store's record, hold = the new hold
-- ARGV[1..3] prelude convention (payload hash, idem ttl, actor)
-- ARGV[4] hold id   ARGV[5] sku   ARGV[6] quantity   ARGV[7] hold time limit (ms)
-- ARGV[8] sha256 of the manage token   ARGV[9] customer JSON   ARGV[10] manage token
-- Returns ok { hold = <hold hash>, manageToken } or fail STORE_NOT_FOUND | PRODUCT_NOT_FOUND | SOLD_OUT.
-- Atomic: the availability check and the increment of `held` must see the same numbers,
-- or two customers could both take the last unit.
local replay, commit, actor = begin_mutation()
if replay then return replay end

local id, sku, qty = ARGV[4], ARGV[5], tonumber(ARGV[6])
local now = now_ms()
if redis.call('EXISTS', K.meta) == 0 then return commit(fail('STORE_NOT_FOUND')) end
if redis.call('HEXISTS', K.catalog, sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end

sweep_expired_holds(now, 100)
local s = stock_of(sku)
local available = available_of(s)
if available < qty then
  return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = qty }))
end

local expires_at = now + tonumber(ARGV[7])
local hold = {
  'id', id, 'sku', sku, 'quantity', qty, 'status', 'held', 'createdAt', now,
  'expiresAt', expires_at, 'tokenHash', ARGV[8], 'customer', ARGV[9],
}
redis.call('HSET', K.hold, unpack(hold))
redis.call('HINCRBY', K.held, sku, qty)
redis.call('ZADD', K.holdExpiry, expires_at, id)
redis.call('ZADD', K.holdsOpen, now, id)
stock_touch(sku, now)
audit('hold.created', actor, {
  holdId = id, sku = sku, quantity = qty, heldBefore = s.held, heldAfter = s.held + qty,
  availableAfter = available - qty,
}, now)
return commit(ok({ hold = hash_to_table(hold), manageToken = ARGV[10] }))
