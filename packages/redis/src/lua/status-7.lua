--[[
  Queue status for one user, in one round trip; also marks the user as still here.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen  KEYS[7] sched
  ARGV[1] userId   (the time is Redis's own: TIME)

  Returns {"waiting", position, waitingCount, admissionRate} | {"admitted", expiresAt} |
  {"issued", expiresAt} | {"sold_out"} | {"not_open"} (ended) | {"not_in_queue"} | {"not_found"}.
]]
local user = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local m = redis.call("HMGET", KEYS[1], "endsAt", "admissionTtlSeconds")
if not m[1] then return {"not_found"} end
if redis.call("HEXISTS", KEYS[3], user) == 1 then return {"issued", now + tonumber(m[2]) * 1000} end
if now >= tonumber(m[1]) then return {"not_open"} end
if tonumber(redis.call("GET", KEYS[2]) or "0") <= 0 then return {"sold_out"} end

local current = redis.call("ZSCORE", KEYS[5], user)
if current and tonumber(current) > now then return {"admitted", tonumber(current)} end

local rank = redis.call("ZRANK", KEYS[4], user)
if not rank then return {"not_in_queue"} end
redis.call("ZADD", KEYS[6], "XX", now, user)
return {"waiting", rank + 1, redis.call("ZCARD", KEYS[4]), redis.call("HGET", KEYS[7], "rate") or "0"}
