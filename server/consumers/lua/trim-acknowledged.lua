-- trim-acknowledged.lua: trims one audit stream down to its recent window, never past what
-- every consumer group has acknowledged (the archiver's group acknowledges an entry only once
-- it is committed in Postgres: so no entry leaves Redis before it is in the ledger).
-- KEYS: stream = the audit stream
-- ARGV[1] entries to keep in Redis (AUDIT_KEEP_IN_REDIS)   ARGV[2] most entries removed per call
-- ARGV[3] the archiver's group: until it exists on the stream, nothing is known to be archived
-- Returns the number of entries removed.
-- Atomic: the acknowledged mark is read and the trim done in one step, so an entry delivered
-- or claimed in between cannot be trimmed from under its reader.
local keep, most = tonumber(ARGV[1]), tonumber(ARGV[2])
local len = redis.call('XLEN', K.stream)
if len <= keep then return 0 end

local function parse_id(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function before(a, b)
  local am, as = parse_id(a)
  local bm, bs = parse_id(b)
  return am < bm or (am == bm and as < bs)
end

-- The mark: the oldest entry some group has not acknowledged (pending, or not yet delivered).
-- Another consumer's group (the notifier's, the webhooks') may exist before the archiver's
-- on a new stream: its acknowledgements say nothing of the ledger, so without the archiver's
-- group nothing goes.
local groups = redis.call('XINFO', 'GROUPS', K.stream)
local archived = false
local mark
for _, flat in ipairs(groups) do
  local g = hash_to_table(flat)
  if g.name == ARGV[3] then archived = true end
  local candidate
  local pending = redis.call('XPENDING', K.stream, g.name)
  if tonumber(pending[1]) > 0 then
    candidate = pending[2]
  else
    -- Everything up to last-delivered-id is acknowledged; that entry itself stays (MINID
    -- removes only what is strictly below).
    candidate = g['last-delivered-id']
  end
  if not mark or before(candidate, mark) then mark = candidate end
end
if not archived then return 0 end

-- The window: the oldest of the newest `keep` entries stays, and all after it.
local excess = math.min(len - keep, most)
local first_kept = redis.call('XRANGE', K.stream, '-', '+', 'COUNT', excess + 1)[excess + 1][1]
local cut = first_kept
if before(mark, cut) then cut = mark end
return redis.call('XTRIM', K.stream, 'MINID', cut)
