-- hold-step.lua: moves a pickup hold one step along its life (shared/hold-steps.ts).
-- KEYS (by role, from stock/keys.ts): idem, audit, the stock core (prelude), hold = this hold
-- ARGV[1..4] prelude convention   ARGV[5] hold id
-- ARGV[6] step: one of shared/hold-steps.ts HOLD_STEPS
-- ARGV[7] sha256 of the customer's manage token, or '' when staff act
-- ARGV[8] device id of the staff tablet, or ''
-- Last ARGV and last KEYS: the holds due that the caller read (prelude given_due_holds);
-- when another is due, stale_keys() and nothing changes.
-- RULES: shared/hold-steps.ts HOLD_STEP_RULES, which statuses each step moves from and to.
-- Returns ok { hold = <hold hash> } or fail HOLD_NOT_FOUND | HOLD_EXPIRED | INVALID_TRANSITION.
-- Atomic: a step reads the status and changes held/on-hand in one go, so a cancel racing a
-- hand-over (or an expiry) releases the units exactly once.
local replay, commit, actor, now = begin_mutation()
if replay then return replay end

local id, step, token_hash, device = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local rule = RULES[step]
if not rule then return redis.error_reply('unknown hold step ' .. step) end
if not sweep_expired_holds(now, HOLDS_PER_SWEEP) then return stale_keys() end
local h = hash_to_table(redis.call('HGETALL', K.hold))
if not h.id then return commit(fail('HOLD_NOT_FOUND')) end
-- A wrong token reads as "no such hold": a customer learns nothing about others' holds.
if token_hash ~= '' and h.tokenHash ~= token_hash then return commit(fail('HOLD_NOT_FOUND')) end

local before = h.status
local decision, after, marks = decide_step(rule, before, {
  acknowledged = h.acknowledgedAt ~= nil, accepted = h.acceptedAt ~= nil,
})
if decision == 'unchanged' then return commit(ok({ hold = h })) end
if decision == 'refused' then
  if before == 'expired' then return commit(fail('HOLD_EXPIRED')) end
  return commit(fail('INVALID_TRANSITION', { status = before, step = step }))
end

local qty, sku = num(h.quantity), h.sku
-- When each status was reached; a cancel is a release, like an expiry.
local STATUS_AT = { confirmed = 'confirmedAt', picked = 'pickedAt', fulfilled = 'fulfilledAt', cancelled = 'releasedAt' }
local changes = {}
if after ~= before then
  table.insert(changes, 'status'); table.insert(changes, after)
  table.insert(changes, STATUS_AT[after]); table.insert(changes, now)
end
for _, mark in ipairs(marks) do
  table.insert(changes, mark .. 'At'); table.insert(changes, now)
  table.insert(changes, mark .. 'By'); table.insert(changes, device)
end

-- Units move only with a change of status: a mark recorded on a closed hold moves none.
local function release_units()
  local s = stock_of(sku)
  s.held = s.held - qty
  redis.call('ZREM', K.holdExpiry, id)
  redis.call('ZREM', K.holdsOpen, id)
  return s
end
if after ~= before and after == 'confirmed' then
  redis.call('ZREM', K.holdExpiry, id)
elseif after ~= before and after == 'fulfilled' then
  local s = release_units()
  -- The units left the store whatever the count said: on-hand stops at 0 (a count or an
  -- offline sale had already taken it there), and refresh_shortfall keeps any gap flagged.
  local take = math.min(s.onHand, qty)
  if take > 0 then s.onHand = s.onHand - take end
  stock_save(s, now)
  redis.call('HINCRBY', K.fulfilled, sku, qty)
  refresh_shortfall(s, now)
elseif after ~= before and after == 'cancelled' then
  local s = release_units()
  stock_save(s, now)
  refresh_shortfall(s, now)
end

redis.call('HSET', K.hold, unpack(changes))
for i = 1, #changes, 2 do h[changes[i]] = changes[i + 1] end
audit(EV.holdStep[step], actor, {
  holdId = id, sku = sku, quantity = qty, statusBefore = before, statusAfter = h.status,
}, now, (stock_of(sku)))
return commit(ok({ hold = h }))
