-- take-lease.lua: an online tablet takes units into escrow it may sell offline (DESIGN rule 3).
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] device id   ARGV[6] sku   ARGV[7] quantity   ARGV[8] lease term (ms)
-- ARGV[9] grace after the term before the server reclaims unreported units (ms)
-- Returns ok { lease = { sku, quantity, expiresAt }, stock } or fail PRODUCT_NOT_FOUND | SOLD_OUT.
-- Atomic: available -= n and lease += n happen together, so leases + holds never exceed on-hand.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p, device, sku, qty = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local now = now_ms()
if redis.call('HEXISTS', p .. 'catalog', sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end
sweep_expired_holds(p, now, 100)
local s = stock_of(p, sku)
local available = available_of(s)
if available < qty then return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = qty })) end

local expires_at = now + tonumber(ARGV[8])
redis.call('HINCRBY', p .. 'leased', sku, qty)
local total = redis.call('HINCRBY', p .. 'lease:' .. device, sku, qty)
redis.call('HSET', p .. 'lease-until:' .. device, sku, expires_at)
redis.call('ZADD', p .. 'lease-expiry', expires_at + tonumber(ARGV[9]), device .. '|' .. sku)
redis.call('SADD', p .. 'lease-devices', device)
stock_touch(p, sku, now)
audit(KEYS[2], 'lease.taken', ARGV[3], { deviceId = device, sku = sku, quantity = qty, leaseAfter = total, expiresAt = expires_at }, now)
return commit(ok({ lease = { sku = sku, quantity = total, expiresAt = expires_at }, stock = stock_of(p, sku) }))
