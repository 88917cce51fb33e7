-- The index's global epoch: every loaded floor-day is stamped with the epoch it was loaded under, and only a
-- floor-day whose stamp equals the current epoch is served. Bumping it makes the whole index unknown at once.
-- KEYS[1] the epoch key (a slot of its own; scripts of a floor-day get the epoch as ARGV, never read it)
-- ARGV[1] 'get' or 'bump'
-- A missing key (Redis restarted empty, or flushed) is seeded from the server clock in microseconds rather than
-- started at 1, so a new epoch can never equal a stamp written before the loss. Returns the epoch as a string.
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[1] == 'bump' then
    redis.call('INCR', KEYS[1])
  end
else
  local now = redis.call('TIME')
  redis.call('SET', KEYS[1], now[1] .. string.format('%06d', tonumber(now[2])))
end
return redis.call('GET', KEYS[1])
