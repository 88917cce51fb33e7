-- Mark or clear one space's slots on one floor-day, after SQL has committed the change.
-- KEYS[1]  occupancy hash of the floor-day: field = space id, value = one char per slot ('0' free, '1' taken);
--          the field '~' is present once the floor-day has been loaded from SQL
-- KEYS[2]  the floor-day's generation counter: bumped by every change, so a loader that read SQL before the
--          change knows its snapshot is stale and must not overwrite the index with it
-- ARGV[1] space id, ARGV[2] first slot (0-based), ARGV[3] slot after the last, ARGV[4] '1' mark or '0' clear,
-- ARGV[5] slot count of the day, ARGV[6] unix time at which the keys expire
-- Returns -1 if the floor-day is not loaded (nothing to do), 0 if marking found a slot already taken (the index
-- had drifted from SQL; the caller drops the floor-day), 1 when applied.
redis.call('INCR', KEYS[2])
redis.call('EXPIREAT', KEYS[2], ARGV[6])
if redis.call('HEXISTS', KEYS[1], '~') == 0 then
  return -1
end
local first = tonumber(ARGV[2])
local last = tonumber(ARGV[3])
local current = redis.call('HGET', KEYS[1], ARGV[1]) or string.rep('0', tonumber(ARGV[5]))
if ARGV[4] == '1' and string.find(string.sub(current, first + 1, last), '1', 1, true) then
  return 0
end
local updated = string.sub(current, 1, first) .. string.rep(ARGV[4], last - first) .. string.sub(current, last + 1)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return 1
