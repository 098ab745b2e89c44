-- create-hold.lua: a customer reserves `quantity` units of a product for pickup.
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), meta = the
-- store's record, hold = the new hold
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] hold id   ARGV[6] sku   ARGV[7] quantity   ARGV[8] hold time limit (ms)
-- ARGV[9] sha256 of the manage token   ARGV[10] customer JSON   ARGV[11] manage token
-- Last ARGV and last KEYS: the holds due that the caller read (prelude given_due_holds);
-- when another is due, stale_keys() and nothing changes.
-- Returns ok { id, createdAt, expiresAt, manageToken } or fail STORE_NOT_FOUND | PRODUCT_NOT_FOUND | SOLD_OUT.
-- Atomic: the availability check and the increment of `held` must see the same numbers,
-- or two customers could both take the last unit.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, sku, qty = ARGV[5], ARGV[6], tonumber(ARGV[7])
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end
-- A product with a stock record is in the catalog, so its store exists: the catalog and the
-- store are looked up only when there is no record.
local s, known = stock_of(sku)
if not known and redis.call('HEXISTS', K.catalog, sku) == 0 then
  if redis.call('EXISTS', K.meta) == 0 then return commit(fail('STORE_NOT_FOUND')) end
  return commit(fail('PRODUCT_NOT_FOUND', { sku = sku }))
end
local available = available_of(s)
if available < qty then
  return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = qty }))
end

local expires_at = now + tonumber(ARGV[8])
local hold = {
  'id', id, 'sku', sku, 'quantity', qty, 'status', 'held', 'createdAt', now,
  'expiresAt', expires_at, 'tokenHash', ARGV[9], 'customer', ARGV[10],
}
redis.call('HSET', K.hold, unpack(hold))
local held_before = s.held
s.held = held_before + qty
stock_save(s, now)
redis.call('ZADD', K.holdExpiry, expires_at, id)
redis.call('ZADD', K.holdsOpen, now, id)
audit(EV.holdCreated, actor, {
  holdId = id, sku = sku, quantity = qty, heldBefore = held_before, heldAfter = s.held,
  availableAfter = available - qty, expiresAt = expires_at,
}, now, s)
-- The caller knows the rest of the hold from the request, which a replay repeats exactly.
return commit(ok({ id = id, createdAt = now, expiresAt = expires_at, manageToken = ARGV[11] }))
