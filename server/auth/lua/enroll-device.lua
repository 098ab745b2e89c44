-- enroll-device.lua: trades a one-time enrollment code for a device record.
-- KEYS (by role, from auth/keys.ts): code = the enrollment code ({auth}:enroll:<sha256 of code>),
-- device = the new device's record, devices = the device index
-- ARGV[1] deviceId  ARGV[2] sha256 of the device secret  ARGV[3] device name
-- ARGV[4] now (ms, the server's clock)
-- Returns { storeId } or { false } when the code is unknown, used or expired.
-- Atomic so that one code makes exactly one device even if two tablets race with it.
local storeId = redis.call('GET', K.code)
if not storeId then return { false } end
redis.call('DEL', K.code)
local now = tonumber(ARGV[4])
redis.call('HSET', K.device, 'storeId', storeId, 'secretHash', ARGV[2], 'name', ARGV[3], 'enrolledAt', now)
redis.call('ZADD', K.devices, now, ARGV[1])
return { storeId }
