-- presence-left.lua: a tablet's socket closed on one instance.
-- KEYS[1] the tablet's presence hash
-- ARGV[1] the connection that closed   ARGV[2] now (ms)
-- Returns 1 when the tablet is now offline, 0 when a newer connection (maybe on another
-- instance) is what the hash describes.
-- Atomic: a tablet that reconnects elsewhere before its old socket's close is seen must not be
-- marked offline by that late close.
-- `lastSeen` stays the last round in which the tablet's app spoke: a socket dropped because
-- the app fell silent was last seen then, not when the server gave up on it.
if redis.call('HGET', KEYS[1], 'connectionId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'connected', 0, 'offlineSince', ARGV[2])
return 1
