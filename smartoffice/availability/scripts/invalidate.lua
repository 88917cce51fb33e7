-- Make a floor-day unknown: drop its occupancy and bump its generation (so a loader whose SQL snapshot predates
-- the caller's change refuses to write it back). For changes the caller cannot express as a versioned projection.
-- KEYS[1] occupancy hash, KEYS[2] generation; ARGV[1] unix expiry of the generation
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('INCR', KEYS[2])
else
  local now = redis.call('TIME')
  redis.call('SET', KEYS[2], now[1] .. string.format('%06d', tonumber(now[2])))
end
redis.call('EXPIREAT', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
