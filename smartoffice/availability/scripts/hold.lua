-- Hold a space's slots for a short while before the SQL transaction that books them (a hint: SQL decides).
-- KEYS[1] occupancy hash of the floor-day, KEYS[2] holds hash: token -> 'space:first:last:expires_ms'
-- ARGV[1] the current epoch, ARGV[2] space id, ARGV[3] first slot, ARGV[4] slot after the last, ARGV[5] token,
-- ARGV[6] time to live in milliseconds
-- Returns -1 (unknown) unless the floor-day is loaded under the current epoch; 0 (taken) if a slot is taken by a
-- booking or by another live hold; 1 (held) after recording the hold. Expired holds are removed on the way, by
-- the server's clock, so hosts with skewed clocks agree.
if redis.call('HGET', KEYS[1], '~') ~= ARGV[1] then
  return -1
end
local first, last = tonumber(ARGV[3]), tonumber(ARGV[4])
local slots = redis.call('HGET', KEYS[1], ARGV[2])
if slots and string.find(string.sub(slots, first + 1, last), '1', 1, true) then
  return 0
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local taken = false
local holds = redis.call('HGETALL', KEYS[2])
for i = 1, #holds, 2 do
  local space, held_first, held_last, expires = string.match(holds[i + 1], '^(%d+):(%d+):(%d+):(%d+)$')
  if not expires or tonumber(expires) <= now then
    redis.call('HDEL', KEYS[2], holds[i])
  elseif space == ARGV[2] and tonumber(held_first) < last and first < tonumber(held_last) then
    taken = true
  end
end
if taken then
  return 0
end
local ttl = tonumber(ARGV[6])
redis.call('HSET', KEYS[2], ARGV[5], string.format('%s:%d:%d:%d', ARGV[2], first, last, now + ttl))
if redis.call('PTTL', KEYS[2]) < ttl then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return 1
