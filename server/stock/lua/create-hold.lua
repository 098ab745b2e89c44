-- create-hold.lua: a customer reserves `quantity` units of a product for pickup.
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, "{st:<store>}:" prefix)
-- ARGV[5] hold id   ARGV[6] sku   ARGV[7] quantity   ARGV[8] hold time limit (ms)
-- ARGV[9] sha256 of the manage token   ARGV[10] customer JSON   ARGV[11] manage token
-- Returns ok { hold = <hold hash>, manageToken } or fail STORE_NOT_FOUND | PRODUCT_NOT_FOUND | SOLD_OUT.
-- Atomic: the availability check and the increment of `held` must see the same numbers,
-- or two customers could both take the last unit.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p, id, sku, qty = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local now = now_ms()
if redis.call('EXISTS', p .. 'meta') == 0 then return commit(fail('STORE_NOT_FOUND')) end
if redis.call('HEXISTS', p .. 'catalog', sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end

sweep_expired_holds(p, now, 100)
local s = stock_of(p, sku)
local available = available_of(s)
if available < qty then
  return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = qty }))
end

local expires_at = now + tonumber(ARGV[8])
local hold = {
  'id', id, 'sku', sku, 'quantity', qty, 'status', 'held', 'createdAt', now,
  'expiresAt', expires_at, 'tokenHash', ARGV[9], 'customer', ARGV[10],
}
redis.call('HSET', p .. 'hold:' .. id, unpack(hold))
redis.call('HINCRBY', p .. 'held', sku, qty)
redis.call('ZADD', p .. 'hold-expiry', expires_at, id)
redis.call('ZADD', p .. 'holds-open', now, id)
stock_touch(p, sku, now)
audit(KEYS[2], 'hold.created', ARGV[3], {
  holdId = id, sku = sku, quantity = qty, heldBefore = s.held, heldAfter = s.held + qty,
  availableAfter = available - qty,
}, now)
return commit(ok({ hold = hash_to_table(hold), manageToken = ARGV[11] }))
