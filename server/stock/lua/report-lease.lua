-- report-lease.lua: a tablet back online reports what it sold or wrote off from its lease
-- while offline, and gives back what it does not need (DESIGN rule 3).
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), sold, writtenOff,
-- lease and leaseUntil = the device's lease hashes, leaseExpiry, revokedDevices; then one lease-action key
-- per action, in the actions' order (KEYS[NAMED_KEYS + i]); then the due holds (prelude)
-- ARGV[1..4] prelude convention
-- ARGV[5] device id   ARGV[6] sku   ARGV[7] JSON array of actions { id, kind, quantity, at, reason? }
-- ARGV[8] units to return after the actions   ARGV[9] how long action ids are remembered (ms)
-- ARGV[10] when the device's record says it was revoked (ms), or '' (a tablet revoked before
-- the store kept revocations: revokedDevices is the authority when it has the device)
-- Last ARGV and last KEYS: the holds due that the caller read (prelude given_due_holds);
-- when another is due, stale_keys() and nothing changes.
-- Returns ok { applied, skipped, returned, lease = { sku, quantity, expiresAt }, stock, shortfall },
-- or, for a revoked tablet, fail ACTION_AFTER_REVOCATION | LEASE_EXCEEDED (nothing changes).
-- Atomic: each offline action is applied at most once (its id is recorded in the same step),
-- and the lease, on-hand and counters move together.
-- An action beyond what is left of the lease (the lease was reclaimed while the tablet was
-- away) still lowers on-hand: the unit physically left the store. The shortfall is flagged.
-- A revoked tablet (issue 15 §1) delivers only what it did before it was revoked, and only
-- from its frozen lease: a report is applied whole or refused whole, never takes more than
-- the lease has left (what an admin settled is gone), and never gives units back (a revoked
-- tablet's word does not put units on sale; an admin's settlement does).
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local device, sku = ARGV[5], ARGV[6]
local actions = cjson.decode(ARGV[7])
if redis.call('HEXISTS', K.catalog, sku) == 0 then return commit(fail('PRODUCT_NOT_FOUND', { sku = sku })) end
local _, due_count = given_due_holds()
if #KEYS ~= NAMED_KEYS + #actions + due_count then return redis.error_reply('report-lease: one key per action') end
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end

local revoked_at = tonumber(redis.call('HGET', K.revokedDevices, device)) or tonumber(ARGV[10])
local return_quantity = tonumber(ARGV[8])
if revoked_at then
  return_quantity = 0
  local left = num(redis.call('HGET', K.lease, sku))
  for i, a in ipairs(actions) do
    if redis.call('EXISTS', KEYS[NAMED_KEYS + i]) == 0 then
      if a.at > revoked_at then
        return commit(fail('ACTION_AFTER_REVOCATION', { actionId = a.id, actedAt = a.at, revokedAt = revoked_at }))
      end
      if a.quantity > left then
        return commit(fail('LEASE_EXCEEDED', { actionId = a.id, quantity = a.quantity, left = left, revokedAt = revoked_at }))
      end
      left = left - a.quantity
    end
  end
end

local s = stock_of(sku)
local applied, skipped = {}, {}
for i, a in ipairs(actions) do
  local seen_key = KEYS[NAMED_KEYS + i]
  if redis.call('EXISTS', seen_key) == 1 then
    table.insert(skipped, a.id)
  else
    local lease = num(redis.call('HGET', K.lease, sku))
    local from_lease = math.min(lease, a.quantity)
    if from_lease > 0 then
      s.leased = s.leased - from_lease
      redis.call('HINCRBY', K.lease, sku, -from_lease)
    end
    local take = math.min(s.onHand, a.quantity)
    if take > 0 then s.onHand = s.onHand - take end
    redis.call('HINCRBY', a.kind == 'sale' and K.sold or K.writtenOff, sku, a.quantity)
    redis.call('SET', seen_key, 1, 'PX', ARGV[9])
    table.insert(applied, a.id)
    audit(EV.leaseAction[a.kind], actor, {
      deviceId = device, sku = sku, quantity = a.quantity, fromLease = from_lease,
      actionId = a.id, actedAt = a.at, reason = a.reason,
    }, now, s)
  end
end

-- Saved before return_lease, which reads the numbers again; untouched when nothing applied.
if #applied > 0 then stock_save(s, now) end
local left = num(redis.call('HGET', K.lease, sku))
local returned = 0
local to_return = math.min(left, return_quantity)
if to_return > 0 then
  returned = return_lease(K.lease, K.leaseUntil, K.leaseExpiry, device, sku, to_return, now, EV.leaseReturned, actor)
  left = left - returned
elseif left <= 0 then
  redis.call('HDEL', K.lease, sku)
  redis.call('HDEL', K.leaseUntil, sku)
  redis.call('ZREM', K.leaseExpiry, device .. '|' .. sku)
end
s = stock_of(sku)
local shortfall = record_shortfall(s, now, actor)
local until_at = num(redis.call('HGET', K.leaseUntil, sku))
return commit(ok({
  applied = applied, skipped = skipped, returned = returned,
  lease = { sku = sku, quantity = left, expiresAt = until_at }, stock = s, shortfall = shortfall,
}))
