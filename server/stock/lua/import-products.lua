-- import-products.lua: an admin loads products and their shelf counts into a store.
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] JSON array of { sku, name, category, priceLabel, onHand }
-- Returns ok { created, updated }.
-- Atomic per batch: a product's catalog entry and its on-hand appear together. An existing
-- product's onHand is applied as a count against its current value (DESIGN rule 4), so an
-- import never silently rewrites held or leased units.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p = ARGV[4]
local now = now_ms()
local created, updated = 0, 0
for _, item in ipairs(cjson.decode(ARGV[5])) do
  local existed = redis.call('HEXISTS', p .. 'catalog', item.sku) == 1
  redis.call('HSET', p .. 'catalog', item.sku,
    cjson.encode({ name = item.name, category = item.category, priceLabel = item.priceLabel }))
  local current = num(redis.call('HGET', p .. 'onhand', item.sku))
  local delta = item.onHand - current
  if delta ~= 0 then
    redis.call('HINCRBY', p .. 'onhand', item.sku, delta)
    if delta > 0 then redis.call('HINCRBY', p .. 'received', item.sku, delta) end
    if delta < 0 then redis.call('HINCRBY', p .. 'counted-out', item.sku, -delta) end
  end
  stock_touch(p, item.sku, now)
  if existed then
    updated = updated + 1
    record_shortfall(p, stock_of(p, item.sku), now, ARGV[3])
  else
    created = created + 1
  end
end
audit(KEYS[2], 'catalog.imported', ARGV[3], { created = created, updated = updated }, now)
return commit(ok({ created = created, updated = updated }))
