-- Replace a floor-day with a snapshot read from SQL, unless a projection changed the floor-day meanwhile.
-- KEYS[1] occupancy hash, KEYS[2] generation, KEYS[3] versions hash (see apply.lua)
-- ARGV[1] the generation read *before* the SQL snapshot, ARGV[2] unix expiry time, ARGV[3] the epoch to stamp,
-- ARGV[4] n, then n pairs of space id and slot string (spaces with a taken slot), then pairs of booking id and
-- 'version:active:space:first:last' for every booking of the snapshot, active or not (so a late projection of an
-- older version is recognised as superseded).
-- Returns 1 when loaded, 0 when a change raced the snapshot (the caller serves its SQL answer and moves on).
local generation = redis.call('GET', KEYS[2]) or '0'
if generation ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('HSET', KEYS[1], '~', ARGV[3])
local occupancy_end = 4 + 2 * tonumber(ARGV[4])
for i = 5, occupancy_end, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
for i = occupancy_end + 1, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIREAT', KEYS[1], ARGV[2])
if #ARGV > occupancy_end then
  redis.call('EXPIREAT', KEYS[3], ARGV[2])
end
return 1
