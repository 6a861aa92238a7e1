--[[
  Join the waiting room. Idempotent: entering again keeps the original place.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen (sorted set: userId -> last poll, ms)  KEYS[7] seq (arrival counter)
  KEYS[8] sched (hash: rate, lastTick, fence)
  ARGV[1] userId   (the time is Redis's own: TIME)

  Returns {"waiting", position (1-based), waitingCount, admissionRate} | {"admitted", expiresAt} |
  {"issued", expiresAt} | {"sold_out"} | {"not_open"} (ended) | {"not_found"}.
]]
local user = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local m = redis.call("HMGET", KEYS[1], "endsAt", "admissionTtlSeconds")
if not m[1] then return {"not_found"} end
if now >= tonumber(m[1]) then return {"not_open"} end
if tonumber(redis.call("GET", KEYS[2]) or "0") <= 0 then return {"sold_out"} end
if redis.call("HEXISTS", KEYS[3], user) == 1 then return {"issued", now + tonumber(m[2]) * 1000} end

local current = redis.call("ZSCORE", KEYS[5], user)
if current and tonumber(current) > now then return {"admitted", tonumber(current)} end

local rank = redis.call("ZRANK", KEYS[4], user)
if not rank then
  redis.call("ZADD", KEYS[4], redis.call("INCR", KEYS[7]), user)
  rank = redis.call("ZCARD", KEYS[4]) - 1
end
redis.call("ZADD", KEYS[6], now, user)
return {"waiting", rank + 1, redis.call("ZCARD", KEYS[4]), redis.call("HGET", KEYS[8], "rate") or "0"}
