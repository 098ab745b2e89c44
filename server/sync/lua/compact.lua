-- compact.lua: replaces the first N entries of a store document's update log with a snapshot.
-- KEYS[1] snapshot   KEYS[2] update log (a list, appended with RPUSH)
-- ARGV[1] N, how many log entries the new snapshot includes   ARGV[2] the new snapshot
-- Returns 1 when compacted, 0 when the log is shorter than N (someone compacted first).
-- Atomic: the snapshot and the trimmed log must change together, or a reader could load
-- the new snapshot plus entries it already contains (harmless) or, worse, the old snapshot
-- without the trimmed entries (lost edits).
local n = tonumber(ARGV[1])
if redis.call('LLEN', KEYS[2]) < n then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[2], n, -1)
return 1
