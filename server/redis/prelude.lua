-- prelude.lua: helpers every Holdfast script is built on. The loader (lua-script.ts) puts
-- this text in front of each script, after `local K = { <role> = KEYS[i], ... }` (the key
-- roles the script declares in TypeScript) and any constants from shared/, so a script is
-- still one atomic unit in Redis.
--
-- Keys: a script reads only keys it was given, by role (K.stock, K.hold...) or in a list
-- after them. The key modules (stock/keys.ts, appointments/keys.ts, auth/keys.ts) build every
-- name, all in one hash tag, so the script runs unchanged on Redis Cluster. Keys that depend
-- on data the script reads (the holds due, a booking's slot) are read by the caller first and
-- checked here; when they changed, the script answers stale_keys() and changes nothing.
--
-- Conventions for a mutating script:
--   K.idem the idempotency record   K.audit the audit stream
--   ARGV[1] hash of the request payload   ARGV[2] how long to keep the record (ms)
--   ARGV[3] the actor as JSON   ARGV[4] now (ms); the script's own arguments start at ARGV[5].
-- Time: a script takes `now` as an argument, from the server's one clock (Deps.clock), and
-- never reads Redis's TIME: every time stored, and every time compared with one (a hold's
-- deadline, a slot's opening), comes from that one clock, which tests can move.
-- A script returns { outcome_json, replayed } where outcome is {ok=true, body=...} or
-- {ok=false, code=..., details=...}. Expected refusals are outcomes, stored like successes,
-- so a replay of a refused request is refused the same way (DESIGN rule 2).

local SYSTEM_ACTOR = '{"role":"system"}'


-- The idempotency record is one string, "<payload hash>\n<outcome JSON>", written with its
-- expiry in one SET: two fewer commands per mutation than a hash and a PEXPIRE (issue 10 §1).
-- Returns the stored reply for a replay, a refusal for a reused key, or nil to go on.
local function idem_replay(idem_key, payload_hash)
  local rec = redis.pcall('GET', idem_key)
  if not rec then return nil end
  local stored_hash, outcome
  if type(rec) == 'table' then
    -- A record kept as a hash (before 2026-11-23) until it expires (IDEMPOTENCY_TTL_MS).
    local old = redis.call('HMGET', idem_key, 'hash', 'outcome')
    stored_hash, outcome = old[1], old[2]
  else
    local cut = string.find(rec, '\n', 1, true)
    stored_hash, outcome = string.sub(rec, 1, cut - 1), string.sub(rec, cut + 1)
  end
  if stored_hash ~= payload_hash then
    return { cjson.encode({ ok = false, code = 'IDEMPOTENCY_KEY_REUSED' }), 0 }
  end
  return { outcome, 1 }
end

local function idem_commit(idem_key, payload_hash, ttl_ms, outcome)
  local encoded = cjson.encode(outcome)
  redis.call('SET', idem_key, payload_hash .. '\n' .. encoded, 'PX', ttl_ms)
  return { encoded, 0 }
end

-- The first lines of every mutating script: a replay answers at once; `commit` stores the
-- outcome under this request's idempotency key. Returns the replay, commit, actor and now.
local function begin_mutation()
  local replay = idem_replay(K.idem, ARGV[1])
  local function commit(outcome) return idem_commit(K.idem, ARGV[1], ARGV[2], outcome) end
  return replay, commit, ARGV[3], tonumber(ARGV[4])
end

-- A script whose keys were read from a record (a booking names its slot) answers this, and
-- changes nothing, when the record no longer says what was read: the caller reads again
-- (LuaScript.decideWithFreshKeys). Not an outcome, so nothing is stored under the idempotency key.
local function stale_keys() return { 'STALE_KEYS', 2 } end

local function ok(body) return { ok = true, body = body } end
local function fail(code, details) return { ok = false, code = code, details = details } end

-- Appends one event to the audit stream: the log, and the feed for live updates. `kind` is
-- one of EV (shared/audit-event-types.ts, handed in by lua-script.ts): a name not there is nil
-- and fails the script in every test. `s`, for a stock event, is the product's numbers after
-- the change (stock_of), recorded so an entry reads on its own (issue 17 §1). No MAXLEN: the
-- stream is trimmed only below what the archiver put in the ledger
-- (server/consumers/lua/trim-acknowledged.lua), so no entry is lost to an outage of Postgres.
local function audit(kind, actor_json, data, now, s)
  if type(kind) ~= 'string' then error('audit: an event type not in shared/audit-event-types.ts') end
  if s then data.stockAfter = { onHand = s.onHand, held = s.held, leased = s.leased } end
  redis.call('XADD', K.audit, '*',
    'type', kind, 'actor', actor_json, 'at', now, 'data', cjson.encode(data), 'v', AUDIT_EVENT_VERSION)
end

local function hash_to_table(flat)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

local function num(v) return tonumber(v) or 0 end

-- Store stock: one hash, field = sku, value = "<onHand> <held> <leased> <updatedAt>" (see
-- stock/keys.ts), so a script reads a product's numbers in one HGET and writes them in one
-- HSET. Returns the numbers (zeros when there is no record) and whether there was a record:
-- every product in the catalog has one (import-products.lua).
local function stock_of(sku)
  local packed = redis.call('HGET', K.stock, sku)
  if not packed then return { sku = sku, onHand = 0, held = 0, leased = 0, updatedAt = 0 }, false end
  local on_hand, held, leased, updated = string.match(packed, '^(%-?%d+) (%-?%d+) (%-?%d+) (%d+)$')
  return {
    sku = sku, onHand = tonumber(on_hand), held = tonumber(held), leased = tonumber(leased),
    updatedAt = tonumber(updated),
  }, true
end

-- Writes the numbers of `s` (from stock_of, changed by the caller), changed at `now`.
local function stock_save(s, now)
  s.updatedAt = now
  redis.call('HSET', K.stock, s.sku, string.format('%d %d %d %d', s.onHand, s.held, s.leased, now))
end

-- shared/stock-math.ts availableOf: what may still be promised, never below 0.
local function available_of(s)
  local a = s.onHand - s.held - s.leased
  if a < 0 then return 0 end
  return a
end

-- DESIGN rule 4: when holds and leases promise more than the shelf has, say so to staff
-- and admins (a per-store list and an audit event) instead of hiding it.
-- shared/stock-math.ts shortfallOf: held + leased - onHand, when above 0.
local function record_shortfall(s, now, actor_json)
  local shortfall = s.held + s.leased - s.onHand
  if shortfall > 0 then
    redis.call('HSET', K.shortfalls, s.sku, shortfall)
    audit(EV.stockShortfall, actor_json, { sku = s.sku, shortfall = shortfall }, now, s)
    return shortfall
  end
  redis.call('HDEL', K.shortfalls, s.sku)
  return 0
end

-- After held or leased went down, a raised shortfall flag may no longer be true.
local function refresh_shortfall(s, now)
  if redis.call('HEXISTS', K.shortfalls, s.sku) == 1 then
    record_shortfall(s, now, SYSTEM_ACTOR)
  end
end

-- The holds the caller found due at `now` (stock/stock-scripts.ts): the last ARGV is their
-- ids as a JSON array, and the last KEYS are their keys, in the same order.
local function given_due_holds()
  local ids = cjson.decode(ARGV[#ARGV])
  local first = #KEYS - #ids
  local keys = {}
  for i, id in ipairs(ids) do keys[id] = KEYS[first + i] end
  return keys, #ids
end

-- Releases held-but-unconfirmed holds whose time ran out (DESIGN: expired holds free their
-- units at once). Every stock script calls this first, so expiry never waits for the sweeper.
-- It touches only holds whose keys it was given: when a due hold was not given, it changes
-- nothing and returns nil, and the script answers stale_keys() so the caller reads them.
local function sweep_expired_holds(now, limit)
  local due = redis.call('ZRANGEBYSCORE', K.holdExpiry, '-inf', now, 'LIMIT', 0, limit)
  if #due == 0 then return 0 end
  local given = given_due_holds()
  for _, id in ipairs(due) do
    if not given[id] then return nil end
  end
  for _, id in ipairs(due) do
    local hkey = given[id]
    local h = hash_to_table(redis.call('HGETALL', hkey))
    if h.status == 'held' then
      local q = num(h.quantity)
      local s = stock_of(h.sku)
      s.held = s.held - q
      stock_save(s, now)
      redis.call('HSET', hkey, 'status', 'expired', 'releasedAt', now)
      redis.call('ZREM', K.holdsOpen, id)
      refresh_shortfall(s, now)
      audit(EV.holdExpired, SYSTEM_ACTOR, { holdId = id, sku = h.sku, quantity = q }, now, s)
    end
    redis.call('ZREM', K.holdExpiry, id)
  end
  return #due
end

-- Gives a device's unexpired or expired lease on one sku back to the pool. `lease_key` and
-- `until_key` are the device's lease hashes; `expiry_key` the store's lease-expiry set.
local function return_lease(lease_key, until_key, expiry_key, device, sku, qty, now, kind, actor_json)
  if qty <= 0 then return 0 end
  local s = stock_of(sku)
  s.leased = s.leased - qty
  stock_save(s, now)
  local left = redis.call('HINCRBY', lease_key, sku, -qty)
  if left <= 0 then
    redis.call('HDEL', lease_key, sku)
    redis.call('HDEL', until_key, sku)
    redis.call('ZREM', expiry_key, device .. '|' .. sku)
  end
  refresh_shortfall(s, now)
  audit(kind, actor_json, { deviceId = device, sku = sku, quantity = qty, leaseAfter = math.max(left, 0) }, now, s)
  return qty
end

local function contains(list, value)
  for _, v in ipairs(list) do if v == value then return true end end
  return false
end

-- shared/step-machine.ts decideStep over the same rule (from shared/, handed in as a constant).
-- `marks` says which marks are set. Returns 'unchanged', 'refused', or 'moved' with the new
-- status and the marks to record.
local function decide_step(rule, status, marks)
  if rule.doneIn and contains(rule.doneIn, status) then return 'unchanged' end
  if rule.from ~= 'any' and not contains(rule.from, status) then return 'refused' end
  if rule.doneWhen and marks[rule.doneWhen] then return 'unchanged' end
  local new_marks = {}
  for _, mark in ipairs(rule.marks or {}) do
    if not marks[mark] then table.insert(new_marks, mark) end
  end
  return 'moved', rule.to or status, new_marks
end
