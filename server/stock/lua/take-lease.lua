-- take-lease.lua: an online tablet takes units into escrow it may sell offline (DESIGN rule 3).
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), lease and
-- leaseUntil = the device's lease hashes, leaseExpiry, leaseDevices, revokedDevices
-- ARGV[1..4] prelude convention
-- ARGV[5] device id   ARGV[6] sku   ARGV[7] quantity   ARGV[8] lease term (ms)
-- ARGV[9] grace after the term before the server reclaims unreported units (ms)
-- Last ARGV and last KEYS: the holds due that the caller read (prelude given_due_holds);
-- when another is due, stale_keys() and nothing changes.
-- Returns ok { lease = { sku, quantity, expiresAt }, stock } or fail PRODUCT_NOT_FOUND | SOLD_OUT |
-- DEVICE_REVOKED (revoked between the credential check and this step: issue 15 §1).
-- Atomic: available -= n and lease += n happen together, so leases + holds never exceed on-hand.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local device, sku, qty = ARGV[5], ARGV[6], tonumber(ARGV[7])
if redis.call('HEXISTS', K.revokedDevices, device) == 1 then return commit(fail('DEVICE_REVOKED')) end
if redis.call('HEXISTS', K.catalog, sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end
local s = stock_of(sku)
local available = available_of(s)
if available < qty then return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = qty })) end

local expires_at = now + tonumber(ARGV[8])
s.leased = s.leased + qty
stock_save(s, now)
local total = redis.call('HINCRBY', K.lease, sku, qty)
redis.call('HSET', K.leaseUntil, sku, expires_at)
redis.call('ZADD', K.leaseExpiry, expires_at + tonumber(ARGV[9]), device .. '|' .. sku)
redis.call('SADD', K.leaseDevices, device)
audit(EV.leaseTaken, actor, { deviceId = device, sku = sku, quantity = qty, leaseAfter = total, expiresAt = expires_at }, now, s)
return commit(ok({ lease = { sku = sku, quantity = total, expiresAt = expires_at }, stock = s }))
