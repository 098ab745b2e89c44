-- hold-step.lua: moves a pickup hold one step along its life.
-- KEYS[1] idempotency record   KEYS[2] the store's audit stream
-- ARGV[1..4] prelude convention
-- ARGV[5] hold id   ARGV[6] step: confirm | cancel | ack | accept | pick | hand_over
-- ARGV[7] sha256 of the customer's manage token, or '' when staff act
-- ARGV[8] device id of the staff tablet, or ''
-- Returns ok { hold = <hold hash> } or fail HOLD_NOT_FOUND | HOLD_EXPIRED | INVALID_TRANSITION.
-- Atomic: a step reads the status and changes held/on-hand in one go, so a cancel racing a
-- hand-over (or an expiry) releases the units exactly once.
local replay = idem_replay(KEYS[1], ARGV[1])
if replay then return replay end
local function commit(outcome) return idem_commit(KEYS[1], ARGV[1], ARGV[2], outcome) end

local p, id, step, token_hash, device = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local now = now_ms()
local hkey = p .. 'hold:' .. id
sweep_expired_holds(p, now, 100)
local h = hash_to_table(redis.call('HGETALL', hkey))
if not h.id then return commit(fail('HOLD_NOT_FOUND')) end
-- A wrong token reads as "no such hold": a customer learns nothing about others' holds.
if token_hash ~= '' and h.tokenHash ~= token_hash then return commit(fail('HOLD_NOT_FOUND')) end

local function is_any(...)
  for _, s in ipairs({ ... }) do if h.status == s then return true end end
  return false
end
local function refuse()
  if h.status == 'expired' then return commit(fail('HOLD_EXPIRED')) end
  return commit(fail('INVALID_TRANSITION', { status = h.status, step = step }))
end

local qty, sku = num(h.quantity), h.sku
local before = h.status
local changes = {}

if step == 'confirm' then
  if h.status == 'confirmed' then return commit(ok({ hold = h })) end
  if h.status ~= 'held' then return refuse() end
  changes = { 'status', 'confirmed', 'confirmedAt', now }
  redis.call('ZREM', p .. 'hold-expiry', id)
elseif step == 'ack' then
  -- The first tablet to receive the hold records it; later acks change nothing.
  if h.acknowledgedAt then return commit(ok({ hold = h })) end
  changes = { 'acknowledgedAt', now, 'acknowledgedBy', device }
elseif step == 'accept' then
  if not is_any('held', 'confirmed', 'picked') then return refuse() end
  if h.acceptedAt then return commit(ok({ hold = h })) end
  changes = { 'acceptedAt', now, 'acceptedBy', device }
  if not h.acknowledgedAt then
    table.insert(changes, 'acknowledgedAt'); table.insert(changes, now)
    table.insert(changes, 'acknowledgedBy'); table.insert(changes, device)
  end
elseif step == 'pick' then
  if not is_any('confirmed') then return refuse() end
  changes = { 'status', 'picked', 'pickedAt', now }
elseif step == 'hand_over' then
  if not is_any('confirmed', 'picked') then return refuse() end
  changes = { 'status', 'fulfilled', 'fulfilledAt', now }
  redis.call('HINCRBY', p .. 'held', sku, -qty)
  -- The units left the store whatever the count said: on-hand stops at 0 (a count or an
  -- offline sale had already taken it there), and refresh_shortfall keeps any gap flagged.
  local take = math.min(num(redis.call('HGET', p .. 'onhand', sku)), qty)
  if take > 0 then redis.call('HINCRBY', p .. 'onhand', sku, -take) end
  redis.call('HINCRBY', p .. 'fulfilled', sku, qty)
  redis.call('ZREM', p .. 'holds-open', id)
  stock_touch(p, sku, now)
  refresh_shortfall(p, sku, now)
elseif step == 'cancel' then
  if not is_any('held', 'confirmed', 'picked') then return refuse() end
  changes = { 'status', 'cancelled', 'releasedAt', now }
  redis.call('HINCRBY', p .. 'held', sku, -qty)
  redis.call('ZREM', p .. 'hold-expiry', id)
  redis.call('ZREM', p .. 'holds-open', id)
  stock_touch(p, sku, now)
  refresh_shortfall(p, sku, now)
else
  return redis.error_reply('unknown hold step ' .. step)
end

redis.call('HSET', hkey, unpack(changes))
for i = 1, #changes, 2 do h[changes[i]] = changes[i + 1] end
audit(KEYS[2], 'hold.' .. step, ARGV[3], {
  holdId = id, sku = sku, quantity = qty, statusBefore = before, statusAfter = h.status,
}, now)
return commit(ok({ hold = h }))
