-- adopt-stock-records.lua: moves a store's numbers from the layout before 2026-11-23 (one
-- hash per counter, field = sku: onhand, held, leased, updated) into its stock hash
-- (stock/keys.ts `stock`), then deletes the old hashes.
-- KEYS (by role, from stock/layout.ts): stock, catalog, oldOnHand, oldHeld, oldLeased, oldUpdated
-- Returns how many products were moved; 0 when the store has nothing in the old layout.
-- Atomic: no script sees a store half moved. A product that already has a record keeps it,
-- so running it again, or on two instances at once, changes nothing more.
local old = { K.oldOnHand, K.oldHeld, K.oldLeased, K.oldUpdated }
if redis.call('EXISTS', unpack(old)) == 0 then return 0 end

local skus = {}
for _, key in ipairs({ K.catalog, K.oldOnHand, K.oldHeld, K.oldLeased }) do
  for _, sku in ipairs(redis.call('HKEYS', key)) do skus[sku] = true end
end
local moved = 0
for sku in pairs(skus) do
  if redis.call('HEXISTS', K.stock, sku) == 0 then
    local n = {}
    for i, key in ipairs(old) do n[i] = num(redis.call('HGET', key, sku)) end
    redis.call('HSET', K.stock, sku, string.format('%d %d %d %d', n[1], n[2], n[3], n[4]))
    moved = moved + 1
  end
end
redis.call('DEL', unpack(old))
return moved
