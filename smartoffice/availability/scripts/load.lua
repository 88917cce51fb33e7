-- Replace a floor-day's occupancy with a snapshot read from SQL, unless the floor-day changed meanwhile.
-- KEYS[1] occupancy hash, KEYS[2] generation counter (see apply.lua)
-- ARGV[1] the generation read *before* the SQL snapshot, ARGV[2] unix expiry time,
-- ARGV[3..] pairs of space id and slot string (only spaces with a taken slot)
-- Returns 1 when loaded, 0 when a change raced the snapshot (the caller serves its SQL answer and moves on).
local generation = redis.call('GET', KEYS[2]) or '0'
if generation ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '~', generation)
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return 1
