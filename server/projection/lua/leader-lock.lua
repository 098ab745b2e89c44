-- leader-lock.lua: which server instance projects Redis's numbers into a store's document.
-- KEYS[1] the lock
-- ARGV[1] the instance id   ARGV[2] how long the lock lasts (ms)   ARGV[3] 'hold' or 'release'
-- Returns 1 when this instance holds the lock (after 'hold'), else 0.
-- Atomic: checking the owner and extending (or deleting) must be one step, or an instance whose
-- lock just ran out could extend or delete the lock another instance has since taken.
local owner = redis.call('GET', KEYS[1])
if ARGV[3] == 'release' then
  if owner == ARGV[1] then redis.call('DEL', KEYS[1]) end
  return 0
end
if owner and owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
