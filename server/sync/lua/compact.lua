-- compact.lua: replaces the head of a store document's update log with a new snapshot.
-- KEYS[1] the snapshot   KEYS[2] the update log   KEYS[3] the append counter
-- KEYS[4] the log's size in bytes
-- ARGV[1] through: the snapshot holds every append numbered up to this one
-- ARGV[2] the new snapshot
-- Returns how many log entries were folded; 0 when the stored snapshot already holds them all
-- (another instance compacted first) and nothing was written.
-- Atomic: the snapshot and the trimmed log must change together. A reader between the two
-- would load the new snapshot with entries it already holds (harmless), or the old snapshot
-- without the trimmed entries (lost edits). Appends between reading and compacting are kept:
-- only the entries the snapshot holds are trimmed, counted from the append counter.
local llen = redis.call('LLEN', KEYS[2])
local seq = tonumber(redis.call('GET', KEYS[3]) or llen)
redis.call('SET', KEYS[3], seq)
local fold = tonumber(ARGV[1]) - (seq - llen)
if fold <= 0 then return 0 end
if fold > llen then return redis.error_reply('compact: the snapshot claims appends that were never made') end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[2], fold, -1)
local bytes = 0
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do bytes = bytes + #entry end
redis.call('SET', KEYS[4], bytes)
return fold
