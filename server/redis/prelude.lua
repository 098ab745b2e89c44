-- prelude.lua: helpers every Holdfast script is built on. The loader (lua-script.ts) puts
-- this text in front of each script, so a script is still one atomic unit in Redis.
--
-- Conventions for a mutating script:
--   KEYS[1] the idempotency record   KEYS[2] the audit stream
--   ARGV[1] hash of the request payload   ARGV[2] how long to keep the record (ms)
--   ARGV[3] the actor as JSON   ARGV[4] the hash-tag prefix, e.g. "{st:aiea}:"
-- Keys not in KEYS are built from ARGV[4] only, so every key a script touches shares one
-- hash tag and the script runs unchanged on Redis Cluster.
-- A script returns { outcome_json, replayed } where outcome is {ok=true, body=...} or
-- {ok=false, code=..., details=...}. Expected refusals are outcomes, stored like successes,
-- so a replay of a refused request is refused the same way (DESIGN rule 2).

local AUDIT_MAXLEN = 200000

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Returns the stored reply for a replay, a refusal for a reused key, or nil to go on.
local function idem_replay(idem_key, payload_hash)
  local rec = redis.call('HMGET', idem_key, 'hash', 'outcome')
  if not rec[1] then return nil end
  if rec[1] ~= payload_hash then
    return { cjson.encode({ ok = false, code = 'IDEMPOTENCY_KEY_REUSED' }), 0 }
  end
  return { rec[2], 1 }
end

local function idem_commit(idem_key, payload_hash, ttl_ms, outcome)
  local encoded = cjson.encode(outcome)
  redis.call('HSET', idem_key, 'hash', payload_hash, 'outcome', encoded)
  redis.call('PEXPIRE', idem_key, ttl_ms)
  return { encoded, 0 }
end

local function ok(body) return { ok = true, body = body } end
local function fail(code, details) return { ok = false, code = code, details = details } end

-- Appends one event to the audit stream: the log, and the feed for live updates.
local function audit(stream_key, kind, actor_json, data, now)
  redis.call('XADD', stream_key, 'MAXLEN', '~', AUDIT_MAXLEN, '*',
    'type', kind, 'actor', actor_json, 'at', now, 'data', cjson.encode(data))
end

local function hash_to_table(flat)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function num(v) return tonumber(v) or 0 end

-- Store stock: one hash per counter, field = sku.
local function stock_of(p, sku)
  return {
    sku = sku,
    onHand = num(redis.call('HGET', p .. 'onhand', sku)),
    held = num(redis.call('HGET', p .. 'held', sku)),
    leased = num(redis.call('HGET', p .. 'leased', sku)),
    updatedAt = num(redis.call('HGET', p .. 'updated', sku)),
  }
end

local function stock_touch(p, sku, now)
  redis.call('HSET', p .. 'updated', sku, now)
end

local function available_of(s)
  local a = s.onHand - s.held - s.leased
  if a < 0 then return 0 end
  return a
end

-- DESIGN rule 4: when holds and leases promise more than the shelf has, say so to staff
-- and admins (a per-store list and an audit event) instead of hiding it.
local function record_shortfall(p, s, now, actor_json)
  local shortfall = s.held + s.leased - s.onHand
  if shortfall > 0 then
    redis.call('HSET', p .. 'shortfalls', s.sku, shortfall)
    audit(p .. 'audit', 'stock.shortfall', actor_json, { sku = s.sku, shortfall = shortfall }, now)
    return shortfall
  end
  redis.call('HDEL', p .. 'shortfalls', s.sku)
  return 0
end

-- After held or leased went down, a raised shortfall flag may no longer be true.
local function refresh_shortfall(p, sku, now)
  if redis.call('HEXISTS', p .. 'shortfalls', sku) == 1 then
    record_shortfall(p, stock_of(p, sku), now, '{"role":"system"}')
  end
end

-- Releases held-but-unconfirmed holds whose time ran out (DESIGN: expired holds free their
-- units at once). Every stock script calls this first, so expiry never waits for the sweeper.
local function sweep_expired_holds(p, now, limit)
  local due = redis.call('ZRANGEBYSCORE', p .. 'hold-expiry', '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    local hkey = p .. 'hold:' .. id
    local h = hash_to_table(redis.call('HGETALL', hkey))
    if h.status == 'held' then
      local q = num(h.quantity)
      redis.call('HINCRBY', p .. 'held', h.sku, -q)
      redis.call('HSET', hkey, 'status', 'expired', 'releasedAt', now)
      redis.call('ZREM', p .. 'holds-open', id)
      stock_touch(p, h.sku, now)
      refresh_shortfall(p, h.sku, now)
      audit(p .. 'audit', 'hold.expired', '{"role":"system"}', { holdId = id, sku = h.sku, quantity = q }, now)
    end
    redis.call('ZREM', p .. 'hold-expiry', id)
  end
  return #due
end

-- Gives a device's unexpired or expired lease on one sku back to the pool.
local function return_lease(p, device, sku, qty, now, kind, actor_json)
  if qty <= 0 then return 0 end
  redis.call('HINCRBY', p .. 'leased', sku, -qty)
  local left = redis.call('HINCRBY', p .. 'lease:' .. device, sku, -qty)
  if left <= 0 then
    redis.call('HDEL', p .. 'lease:' .. device, sku)
    redis.call('HDEL', p .. 'lease-until:' .. device, sku)
    redis.call('ZREM', p .. 'lease-expiry', device .. '|' .. sku)
  end
  stock_touch(p, sku, now)
  refresh_shortfall(p, sku, now)
  audit(p .. 'audit', kind, actor_json, { deviceId = device, sku = sku, quantity = qty, leaseAfter = math.max(left, 0) }, now)
  return qty
end
