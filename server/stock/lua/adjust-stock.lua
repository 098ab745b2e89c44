-- adjust-stock.lua: staff change on-hand directly (online): receive, count, sell, write off.
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), and the tallies
-- received, countedOut, sold, writtenOff
-- ARGV[1..4] prelude convention
-- ARGV[5] kind: receive | count | sale | write_off   ARGV[6] sku
-- ARGV[7] quantity (receive, sale, write_off) or counted units (count)
-- ARGV[8] the on-hand the tablet last saw (count only)   ARGV[9] reason ('' for none)
-- Last ARGV and last KEYS: the holds due that the caller read (prelude given_due_holds);
-- when another is due, stale_keys() and nothing changes.
-- Returns ok { stock, delta, shortfall } or fail PRODUCT_NOT_FOUND | SOLD_OUT.
-- Atomic: a sale checks available and lowers on-hand in one step (never below what holds
-- and leases promise); a count is turned into a delta against the value the tablet saw,
-- so a concurrent hand-over is not undone (DESIGN rule 4).
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local kind, sku, n = ARGV[5], ARGV[6], tonumber(ARGV[7])
if redis.call('HEXISTS', K.catalog, sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end
local s = stock_of(sku)
local on_hand_before = s.onHand
local delta

if kind == 'receive' then
  delta = n
  redis.call('HINCRBY', K.received, sku, n)
elseif kind == 'count' then
  local wanted = s.onHand + (n - tonumber(ARGV[8]))
  if wanted < 0 then wanted = 0 end
  delta = wanted - s.onHand
  if delta > 0 then redis.call('HINCRBY', K.received, sku, delta) end
  if delta < 0 then redis.call('HINCRBY', K.countedOut, sku, -delta) end
elseif kind == 'sale' or kind == 'write_off' then
  local available = available_of(s)
  if available < n then return commit(fail('SOLD_OUT', { sku = sku, available = available, requested = n })) end
  delta = -n
  redis.call('HINCRBY', kind == 'sale' and K.sold or K.writtenOff, sku, n)
else
  return redis.error_reply('unknown stock change ' .. kind)
end

s.onHand = on_hand_before + delta
stock_save(s, now)
local shortfall = record_shortfall(s, now, actor)
audit(EV.stock[kind], actor, {
  sku = sku, delta = delta, onHandBefore = on_hand_before, onHandAfter = s.onHand,
  reason = ARGV[9], counted = kind == 'count' and n or nil, lastSeen = kind == 'count' and tonumber(ARGV[8]) or nil,
}, now, s)
return commit(ok({ stock = s, delta = delta, shortfall = shortfall }))
