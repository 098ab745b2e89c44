-- claim-held-units.lua: a customer claims units of a product before a hold is made for them,
-- under the per-customer cap on units held at once across stores (issue 10 §4).
-- KEYS (by role, from customer/keys.ts): held = the customer's claims on this product
-- ARGV[1] now   ARGV[2] the new hold's id   ARGV[3] quantity   ARGV[4] the cap
-- ARGV[5] how long the claims are kept (ms)   ARGV[6] JSON array of claimed holds that ended
-- (the caller read their stores: fulfilled, cancelled, expired, or never made)
-- Returns { 1, held before } when claimed, { 0, held now } when the cap refuses it.
-- Atomic: the sum of live claims and the new claim must be one step, or the same customer
-- holding at two stores at once would pass the cap twice. A hold only ever ends, so dropping
-- the ended ones the caller found is safe however late it found them.
local now, hold_id, qty, cap = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
for _, id in ipairs(cjson.decode(ARGV[6])) do redis.call('HDEL', K.held, id) end
local held = 0
local claims = redis.call('HGETALL', K.held)
for i = 2, #claims, 2 do held = held + (tonumber(string.match(claims[i], '^(%d+)')) or 0) end
if held + qty > cap then return { 0, held } end
redis.call('HSET', K.held, hold_id, qty .. '|' .. now)
redis.call('PEXPIRE', K.held, ARGV[5])
return { 1, held }
