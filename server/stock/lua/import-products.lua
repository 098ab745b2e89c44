-- import-products.lua: an admin loads products and their shelf counts into a store.
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), received, countedOut
-- ARGV[1..4] prelude convention
-- ARGV[5] JSON array of { sku, name, category, priceLabel, onHand? }
-- Returns ok { created, updated }.
-- Atomic per batch: a product's catalog entry and its on-hand appear together. An existing
-- product's onHand is applied as a count against its current value (DESIGN rule 4), so an
-- import never silently rewrites held or leased units.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local created, updated = 0, 0
-- Each product with its numbers after the import: filtering the log by SKU finds the import.
local products = {}
for _, item in ipairs(cjson.decode(ARGV[5])) do
  local existed = redis.call('HEXISTS', K.catalog, item.sku) == 1
  redis.call('HSET', K.catalog, item.sku,
    cjson.encode({ name = item.name, category = item.category, priceLabel = item.priceLabel }))
  -- Every product gets a stock record, even with nothing on hand (create-hold relies on it).
  local s = stock_of(item.sku)
  -- A file without a count for a product (no onHand column) leaves its shelf count alone.
  local on_hand = item.onHand
  if on_hand == nil or on_hand == cjson.null then on_hand = s.onHand end
  local delta = on_hand - s.onHand
  if delta > 0 then redis.call('HINCRBY', K.received, item.sku, delta) end
  if delta < 0 then redis.call('HINCRBY', K.countedOut, item.sku, -delta) end
  s.onHand = on_hand
  stock_save(s, now)
  if existed then
    updated = updated + 1
    record_shortfall(s, now, actor)
  else
    created = created + 1
  end
  table.insert(products, { sku = item.sku, created = not existed, onHand = s.onHand, held = s.held, leased = s.leased })
end
audit(EV.catalogImported, actor, { created = created, updated = updated, products = products }, now)
return commit(ok({ created = created, updated = updated }))
