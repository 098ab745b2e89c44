-- enroll-device.lua: trades a one-time enrollment code for a device record.
-- KEYS[1] enrollment code key ({auth}:enroll:<sha256 of code>)
-- KEYS[2] device key ({auth}:device:<deviceId>)
-- KEYS[3] device index ({auth}:devices)
-- ARGV[1] deviceId  ARGV[2] sha256 of the device secret  ARGV[3] device name
-- Returns { storeId } or { false } when the code is unknown, used or expired.
-- Atomic so that one code makes exactly one device even if two tablets race with it.
local storeId = redis.call('GET', KEYS[1])
if not storeId then return { false } end
redis.call('DEL', KEYS[1])
local now = now_ms()
redis.call('HSET', KEYS[2], 'storeId', storeId, 'secretHash', ARGV[2], 'name', ARGV[3], 'enrolledAt', now)
redis.call('ZADD', KEYS[3], now, ARGV[1])
return { storeId }
