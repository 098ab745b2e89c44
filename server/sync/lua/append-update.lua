-- append-update.lua: stores one update of a store document and announces it to the other
-- server instances.
-- KEYS[1] the update log (a list)   KEYS[2] the append counter   KEYS[3] the log's size in bytes
-- KEYS[4] the snapshot
-- ARGV[1] the update   ARGV[2] the store's pub/sub channel   ARGV[3] the appending instance's id
-- ARGV[4] 'SPUBLISH' on a Redis Cluster (sharded pub/sub: the message goes only to the shard
-- that owns the store's slot), else 'PUBLISH'
-- Publishes sync/relay-message.ts's format: a JSON header { v = 1, kind = 'update', seq,
-- instanceId }, a newline, then the update.
-- Returns { seq, log length, log bytes, snapshot bytes }: seq numbers every append ever made
-- to this document, 1, 2, 3, ...
-- Atomic: the log always holds exactly the appends after the snapshot (snapshot = appends
-- 1..seq-LLEN, log = the rest), which compact.lua relies on; and messages leave in seq order,
-- so an instance that sees a gap in seq knows it missed one and reloads.
local llen = redis.call('LLEN', KEYS[1])
-- A log written before the counter existed: its entries are appends 1..llen.
local seq = tonumber(redis.call('GET', KEYS[2]) or llen) + 1
redis.call('SET', KEYS[2], seq)
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
local bytes = redis.call('INCRBY', KEYS[3], #ARGV[1])
local header = cjson.encode({ v = 1, kind = 'update', seq = seq, instanceId = ARGV[3] })
redis.call(ARGV[4] == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH', ARGV[2], header .. '\n' .. ARGV[1])
return { seq, length, bytes, redis.call('STRLEN', KEYS[4]) }
