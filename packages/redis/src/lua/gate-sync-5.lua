--[[
  Router flush for one event: add this instance's entry count for the current second and read
  back the gate snapshot, all in one call (SPEC §3: no Redis call per request on the gate path).

  KEYS[1] rpm        hash: epoch second -> entry count, summed over all router instances
  KEYS[2] waiting    sorted set
  KEYS[3] running    sorted set (score = admission expiry, ms)
  KEYS[4] meta       hash of event settings
  KEYS[5] remaining  string: stock left

  ARGV[1] now, epoch seconds
  ARGV[2] entries counted by this instance since its last flush
  ARGV[3] now, epoch ms (to count only unexpired running slots)

  Returns {found, liveRpm, waiting, running, rpmThreshold (-1 = global), runningCapacity,
           startsAt, endsAt, remaining}; found = 0 when the event is not in Redis.
]]
local nowSec = tonumber(ARGV[1])
local delta = tonumber(ARGV[2])
if delta > 0 then
  redis.call("HINCRBY", KEYS[1], ARGV[1], delta)
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
if #stale > 0 then redis.call("HDEL", KEYS[1], unpack(stale)) end

local m = redis.call("HMGET", KEYS[4], "rpmThreshold", "runningCapacity", "startsAt", "endsAt")
if not m[3] then return {0, sum} end
local threshold = -1
if m[1] and m[1] ~= "" then threshold = tonumber(m[1]) end
return {
  1, sum,
  redis.call("ZCARD", KEYS[2]),
  redis.call("ZCOUNT", KEYS[3], "(" .. ARGV[3], "+inf"),
  threshold, tonumber(m[2]), tonumber(m[3]), tonumber(m[4]),
  tonumber(redis.call("GET", KEYS[5]) or "0"),
}
