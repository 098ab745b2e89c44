-- settle-device-leases.lua: an admin decides what became of a revoked tablet's unreported
-- units (issue 15 §1): `write_off` (the tablet is lost, and the units with it: on hand and
-- leased go down) or `return` (they are on the shelf: leased goes down, available up).
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), lease and
-- leaseUntil = the device's lease hashes, leaseExpiry, leaseDevices, revokedDevices, writtenOff;
-- then the due holds (prelude given_due_holds)
-- ARGV[1..4] prelude convention (payload hash, idem ttl, actor, now)
-- ARGV[5] device id   ARGV[6] decision: 'write_off' | 'return'
-- ARGV[7] when the device's record says it was revoked (ms), or ''
-- Last ARGV: the ids of the due holds given (prelude).
-- Returns ok { decision, units, products = [{ sku, quantity, stock }] } (units 0 when nothing
-- was left to settle), or fail DEVICE_NOT_REVOKED (an active tablet may still sell: its
-- lease is given back by the tablet, or one sku at a time with return-lease.lua).
-- Atomic: every sku's lease, on-hand and leased move together with the audit event that
-- names who decided, so a late report after it finds no lease left (report-lease.lua
-- refuses it) and a unit is never both written off and reported sold.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local device, decision = ARGV[5], ARGV[6]
if decision ~= 'write_off' and decision ~= 'return' then return redis.error_reply('settle: bad decision') end
local revoked_at = tonumber(redis.call('HGET', K.revokedDevices, device)) or tonumber(ARGV[7])
if not revoked_at then return commit(fail('DEVICE_NOT_REVOKED', { deviceId = device })) end
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end

local lease = redis.call('HGETALL', K.lease)
local units, products = 0, {}
for i = 1, #lease, 2 do
  local sku, qty = lease[i], tonumber(lease[i + 1])
  if qty > 0 then
    local s = stock_of(sku)
    s.leased = s.leased - qty
    if decision == 'write_off' then
      local take = math.min(s.onHand, qty)
      if take > 0 then s.onHand = s.onHand - take end
      redis.call('HINCRBY', K.writtenOff, sku, qty)
    end
    stock_save(s, now)
    refresh_shortfall(s, now)
    units = units + qty
    audit(EV.leaseSettled, actor, {
      deviceId = device, sku = sku, quantity = qty, decision = decision, revokedAt = revoked_at,
    }, now, s)
    table.insert(products, { sku = sku, quantity = qty, stock = s })
  end
  redis.call('ZREM', K.leaseExpiry, device .. '|' .. sku)
end
redis.call('DEL', K.lease, K.leaseUntil)
redis.call('SREM', K.leaseDevices, device)
return commit(ok({ decision = decision, units = units, products = products }))
