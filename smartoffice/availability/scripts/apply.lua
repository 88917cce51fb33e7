-- Project one booking's committed state onto one floor-day. Versioned, so projections may arrive in any order and
-- any number of times and still converge: only a version newer than the last one applied for the booking acts.
-- KEYS[1] occupancy hash (space id -> one char per slot, '0' free, '1' taken; field '~' = epoch stamp once loaded)
-- KEYS[2] generation: bumped here, so a loader whose SQL snapshot predates this change refuses to write it
-- KEYS[3] versions hash: booking id -> 'version:active:space:first:last' of the last projection applied
-- KEYS[4] holds hash: a hold token given in ARGV[9] is removed (the booking it guarded is committed)
-- ARGV[1] booking id, ARGV[2] version, ARGV[3] '1' active or '0' not, ARGV[4] space id, ARGV[5] first slot
-- (0-based), ARGV[6] slot after the last, ARGV[7] slot count of the day, ARGV[8] unix expiry, ARGV[9] token or ''
-- Returns 2 if superseded (this or a newer version was applied), -1 if the floor-day is not loaded (only the
-- version is recorded), 0 if marking found a slot taken by another booking (the index had drifted from SQL: the
-- floor-day is dropped), 1 when applied.
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('INCR', KEYS[2])
else
  -- Seeded from the clock, not 1: after a flush a loader holding an old generation must not match a new one.
  local now = redis.call('TIME')
  redis.call('SET', KEYS[2], now[1] .. string.format('%06d', tonumber(now[2])))
end
redis.call('EXPIREAT', KEYS[2], ARGV[8])
if ARGV[9] ~= '' then
  redis.call('HDEL', KEYS[4], ARGV[9])
end

local previous = nil
local recorded = redis.call('HGET', KEYS[3], ARGV[1])
if recorded then
  local version, active, space, first, last = string.match(recorded, '^(%d+):([01]):(%d+):(%d+):(%d+)$')
  if version then
    if tonumber(version) >= tonumber(ARGV[2]) then
      return 2
    end
    previous = {active = active, space = space, first = tonumber(first), last = tonumber(last)}
  end
end
redis.call('HSET', KEYS[3], ARGV[1], table.concat({ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]}, ':'))
redis.call('EXPIREAT', KEYS[3], ARGV[8])
if redis.call('HEXISTS', KEYS[1], '~') == 0 then
  return -1
end

local function slots_of(space)
  return redis.call('HGET', KEYS[1], space) or string.rep('0', tonumber(ARGV[7]))
end
local function fill(slots, first, last, char)
  return string.sub(slots, 1, first) .. string.rep(char, last - first) .. string.sub(slots, last + 1)
end
local function store(space, slots)
  if string.find(slots, '1', 1, true) then
    redis.call('HSET', KEYS[1], space, slots)
  else
    redis.call('HDEL', KEYS[1], space)
  end
end

-- The booking's own previous slots are its to free (SQL never lets two active bookings share a slot). Without a
-- recorded previous projection nothing is freed: those slots may by now belong to a later booking.
if previous and previous.active == '1' then
  store(previous.space, fill(slots_of(previous.space), previous.first, previous.last, '0'))
end
if ARGV[3] == '1' then
  local first, last = tonumber(ARGV[5]), tonumber(ARGV[6])
  local slots = slots_of(ARGV[4])
  if string.find(string.sub(slots, first + 1, last), '1', 1, true) then
    redis.call('DEL', KEYS[1])
    return 0
  end
  store(ARGV[4], fill(slots, first, last, '1'))
end
return 1
