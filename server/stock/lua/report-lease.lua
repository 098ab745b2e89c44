-- report-lease.lua: a tablet back online reports what it sold or wrote off from its lease
-- while offline, and gives back what it does not need (DESIGN rule 3).
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] device id   ARGV[6] sku   ARGV[7] JSON array of actions { id, kind, quantity, at, reason? }
-- ARGV[8] units to return after the actions   ARGV[9] how long action ids are remembered (ms)
-- Returns ok { applied, skipped, returned, lease = { sku, quantity, expiresAt }, stock, shortfall }.
-- Atomic: each offline action is applied at most once (its id is recorded in the same step),
-- and the lease, on-hand and counters move together.
-- An action beyond what is left of the lease (the lease was reclaimed while the tablet was
-- away) still lowers on-hand: the unit physically left the store. The shortfall is flagged.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p, device, sku = ARGV[4], ARGV[5], ARGV[6]
local actions = cjson.decode(ARGV[7])
local now = now_ms()
if redis.call('HEXISTS', p .. 'catalog', sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end
sweep_expired_holds(p, now, 100)

local applied, skipped = {}, {}
local lease_key = p .. 'lease:' .. device
for _, a in ipairs(actions) do
  local seen_key = p .. 'lease-action:' .. a.id
  if redis.call('EXISTS', seen_key) == 1 then
    table.insert(skipped, a.id)
  else
    local lease = num(redis.call('HGET', lease_key, sku))
    local from_lease = math.min(lease, a.quantity)
    if from_lease > 0 then
      redis.call('HINCRBY', p .. 'leased', sku, -from_lease)
      redis.call('HINCRBY', lease_key, sku, -from_lease)
    end
    local on_hand = num(redis.call('HGET', p .. 'onhand', sku))
    local take = math.min(on_hand, a.quantity)
    -- Lua's -0 would reach Redis as "-0", which HINCRBY rejects.
    if take > 0 then redis.call('HINCRBY', p .. 'onhand', sku, -take) end
    redis.call('HINCRBY', p .. (a.kind == 'sale' and 'sold' or 'written-off'), sku, a.quantity)
    redis.call('SET', seen_key, 1, 'PX', ARGV[9])
    table.insert(applied, a.id)
    audit(KEYS[2], 'lease.' .. a.kind, ARGV[3], {
      deviceId = device, sku = sku, quantity = a.quantity, fromLease = from_lease,
      actionId = a.id, actedAt = a.at, reason = a.reason,
    }, now)
  end
end

local left = num(redis.call('HGET', lease_key, sku))
local returned = 0
local to_return = math.min(left, tonumber(ARGV[8]))
if to_return > 0 then
  returned = return_lease(p, device, sku, to_return, now, 'lease.returned', ARGV[3])
  left = left - returned
elseif left <= 0 then
  redis.call('HDEL', lease_key, sku)
  redis.call('HDEL', p .. 'lease-until:' .. device, sku)
  redis.call('ZREM', p .. 'lease-expiry', device .. '|' .. sku)
end
stock_touch(p, sku, now)
local s = stock_of(p, sku)
local shortfall = record_shortfall(p, s, now, ARGV[3])
local until_at = num(redis.call('HGET', p .. 'lease-until:' .. device, sku))
return commit(ok({
  applied = applied, skipped = skipped, returned = returned,
  lease = { sku = sku, quantity = left, expiresAt = until_at }, stock = s, shortfall = shortfall,
}))
