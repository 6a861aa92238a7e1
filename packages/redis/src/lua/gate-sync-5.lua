--[[
  Router flush for one event: add this instance's entry count for the current second and read
  back the gate snapshot, all in one call (SPEC §3: no Redis call per request on the gate path).

  KEYS[1] rpm        hash: epoch second -> entry count, summed over all router instances
  KEYS[2] waiting    sorted set
  KEYS[3] running    sorted set (score = admission expiry, ms)
  KEYS[4] meta       hash of event settings
  KEYS[5] remaining  string: stock left

  ARGV[1] entries counted by this instance since its last flush, added only while the event is
  in Redis (the time is Redis's own, so the 60 s window is the same for every router)

  Returns {now (ms), found, liveRpm, waiting, running, rpmThreshold (-1 = global),
           runningCapacity, startsAt, endsAt, remaining, switches (bits of includes/switches.lua)};
  found = 0 when the event is not in Redis. The router decides against `now` (plus the time since the reply), not its own clock,
  in the order of includes/event-state.lua (it has no user: ended, sold out, upcoming, open).
]]
--- @include "clock"
--- @include "event-state"
--- @include "switches"
local now = redisNow()
local nowSec = math.floor(now / 1000)
local delta = tonumber(ARGV[1])
local m = redis.call("HMGET", KEYS[4], "startsAt", "endsAt", "rpmThreshold", "runningCapacity")
-- Counted only while the event is in Redis: a router's last flush after an event was retired
-- (issuer's retention) must not bring back a key of it.
if delta > 0 and m[1] then
  redis.call("HINCRBY", KEYS[1], nowSec, delta)
  redis.call("EXPIRE", KEYS[1], 120)
end

local flat = redis.call("HGETALL", KEYS[1])
local sum, stale = 0, {}
for i = 1, #flat, 2 do
  if tonumber(flat[i]) > nowSec - 60 then
    sum = sum + tonumber(flat[i + 1])
  else
    stale[#stale + 1] = flat[i]
  end
end
-- At most one field per second is added and every flush drops the stale ones: a few dozen.
if #stale > 0 then redis.call("HDEL", KEYS[1], unpack(stale)) end

local state, remaining = eventState(m, KEYS[5], nil, nil, now)
if state == "not_found" then return {now, 0, sum} end
local threshold = -1
if m[3] and m[3] ~= "" then threshold = tonumber(m[3]) end
return {
  now, 1, sum,
  redis.call("ZCARD", KEYS[2]),
  redis.call("ZCOUNT", KEYS[3], "(" .. now, "+inf"),
  threshold, tonumber(m[4]), tonumber(m[1]), tonumber(m[2]), remaining,
  eventSwitches(KEYS[4]).bits,
}
